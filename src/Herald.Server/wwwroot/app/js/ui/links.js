// What the Messenger is willing to open. Herald already refuses unsafe content, but the app checks again: it is what
// stands between a message and the consumer's browser.
import { h } from './dom.js';
import { icon } from './icons.js';
import { confirmDialog } from './dialog.js';

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

// Web addresses, e-mail addresses and phone numbers, tried in that order at each place in the text, so an address
// inside a URL stays part of the URL. Phone numbers: international (+ and 7 to 15 digits) or national with a leading
// 0 written in groups ("020 7946 0958"), so order numbers and amounts are left alone.
const IN_TEXT = new RegExp([
  String.raw`(?<web>\bhttps?:\/\/[^\s<>"'\x60]+)`,
  String.raw`(?<email>\b[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b)`,
  String.raw`(?<phone>(?<![\w+])(?:\+\d[\d ().-]{5,20}\d|0\d{1,4}[ -]\d[\d -]{3,14}\d)(?![\w]))`,
].join('|'), 'g');

function phoneHref(raw) {
  const digits = raw.replace(/\D/g, '');
  const international = raw.startsWith('+');
  const fits = international ? digits.length >= 7 && digits.length <= 15 : digits.length >= 9 && digits.length <= 12;
  return fits ? `tel:${international ? '+' : ''}${digits}` : null;
}

/** An http (not https) link: marked as not secure, and opened only after the consumer says so. */
function insecureLink(url, text) {
  const link = externalLink(url, text, icon('unlock', 'Not secure'));
  link.classList.add('insecure-link');
  link.title = 'Not secure (http)';
  const warn = async (event) => {
    event.preventDefault();
    if (await confirmDialog({
      title: 'Open a link that is not secure?',
      text: `${url.href} does not use https: what you see or type on that page can be read or changed on the way.`,
      confirm: 'Open anyway',
    }))
      window.open(url.href, '_blank', 'noopener,noreferrer');
  };
  link.addEventListener('click', warn);
  link.addEventListener('auxclick', (event) => event.button === 1 && warn(event));
  return link;
}

/** One match of IN_TEXT as a link with the text it covers, or null when it is not one after all. */
function linkFor(match) {
  const { web, email, phone } = match.groups;
  if (web) {
    const raw = trimTrailing(web);
    const url = parse(raw);
    if (url?.protocol === 'https:')
      return { raw, link: externalLink(url, raw) };
    return url?.protocol === 'http:' ? { raw, link: insecureLink(url, raw) } : null;
  }
  if (email)
    return { raw: email, link: h('a', { href: `mailto:${email}` }, email) };
  const href = phoneHref(phone);
  return href && { raw: phone, link: h('a', { href }, phone) };
}

/**
 * Text as text nodes, with the web addresses (http ones marked and guarded), e-mail addresses (mailto:) and phone
 * numbers (tel:) in it made into links; nothing else is interpreted. A link's address is built from the characters
 * matched, which cannot carry a query or another scheme.
 */
export function linkify(text) {
  const parts = [];
  let last = 0;
  for (const match of text.matchAll(IN_TEXT)) {
    const found = linkFor(match);
    if (!found)
      continue;
    parts.push(text.slice(last, match.index), found.link);
    last = match.index + found.raw.length;
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
