// What the Messenger is willing to open. Herald already refuses unsafe content, but the app checks again: it is what
// stands between a message and the consumer's browser.
import { h } from './dom.js';

// Schemes that run code or reach local data in a browser; the server refuses them too (docs/decisions.md).
const REFUSED_SCHEMES = new Set(['javascript:', 'data:', 'file:', 'vbscript:', 'blob:', 'about:', 'filesystem:']);

function parse(value) {
  try {
    return typeof value === 'string' ? new URL(value) : null;
  } catch {
    return null;
  }
}

/** An https URL (images, "Learn more", `url` links), or null. */
export function httpsUrl(value) {
  const url = parse(value);
  return url && url.protocol === 'https:' ? url : null;
}

/**
 * A button's action: an https page (opened in a new tab) or an app deep link such as `shop://orders/42` (handed to
 * the app that registered the scheme). Null for anything else.
 */
export function buttonAction(value) {
  const url = parse(value);
  if (!url)
    return null;
  if (url.protocol === 'https:')
    return { href: url.href, external: true };
  const deepLink = /^[a-z][a-z0-9+.-]*:\/\//i.test(value) && url.protocol !== 'http:' && !REFUSED_SCHEMES.has(url.protocol);
  return deepLink ? { href: value, external: false } : null;
}

/** A link that opens in a new tab and tells the destination nothing about where it came from. */
export function externalLink(url, ...children) {
  return h('a', { href: url.href, target: '_blank', rel: 'noopener noreferrer nofollow', referrerpolicy: 'no-referrer' }, ...children);
}

const URL_IN_TEXT = /\bhttps?:\/\/[^\s<>"'`]+/gi;

/** Text as text nodes, with the http(s) addresses in it made into links; nothing else is interpreted. */
export function linkify(text) {
  const parts = [];
  let last = 0;
  for (const match of text.matchAll(URL_IN_TEXT)) {
    const raw = trimTrailing(match[0]);
    const url = parse(raw);
    if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:'))
      continue;
    parts.push(text.slice(last, match.index));
    parts.push(externalLink(url, raw));
    last = match.index + raw.length;
  }
  parts.push(text.slice(last));
  return parts.filter((part) => part !== '');
}

/** Sentence punctuation after an address is not part of it; a closing bracket is, when the address opened one. */
function trimTrailing(raw) {
  const count = (text, c) => text.split(c).length - 1;
  let end = raw.length;
  while (end > 0) {
    const c = raw[end - 1];
    const head = raw.slice(0, end);
    if (c === ')' && count(head, '(') >= count(head, ')'))
      break;
    if (!'.,;:!?)]}'.includes(c))
      break;
    end--;
  }
  return raw.slice(0, end);
}
