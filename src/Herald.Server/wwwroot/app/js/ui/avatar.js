// A sender's logo, or its initials on a colour of its own when there is no logo or it does not load.
import { h } from './dom.js';
import { httpsUrl } from './links.js';

const HUES = [210, 260, 330, 20, 150, 190, 45, 285];
const failedLogos = new Set(); // the list redraws often: a logo that failed once is not tried again this session

function initials(name) {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const letters = words.length > 1 ? [words[0], words[1]] : [words[0] ?? '?'];
  return letters.map((word) => [...word][0].toUpperCase()).join('');
}

function hue(id) {
  let hash = 0;
  for (const c of id)
    hash = (hash * 31 + c.codePointAt(0)) >>> 0;
  return HUES[hash % HUES.length];
}

export function avatar(sender, size = 'md') {
  const fallback = h('span', { class: `avatar avatar-${size} avatar-initials`, 'aria-hidden': 'true', text: initials(sender.name ?? '?') });
  fallback.style.setProperty('--avatar-hue', hue(sender.business_id));
  const logo = httpsUrl(sender.logo_url);
  if (!logo || failedLogos.has(logo.href))
    return fallback;
  return h('img', {
    class: `avatar avatar-${size}`, src: logo.href, alt: '', referrerpolicy: 'no-referrer', decoding: 'async',
    onerror: (event) => {
      failedLogos.add(logo.href);
      event.currentTarget.replaceWith(fallback);
    },
  });
}
