// One message as a bubble: every content kind Herald carries, each built from text and checked URLs only.
import { h } from './dom.js';
import { icon } from './icons.js';
import { buttonAction, externalLink, httpsUrl, linkify } from './links.js';
import { clockTime, fullTime } from './format.js';
import { qrCanvas } from './qr-view.js';
import { openDialog } from './dialog.js';

const EMOJI_ONLY = /^(?:\p{Extended_Pictographic}|\p{Emoji_Component}|\s)+$/u;
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** One to three emoji and nothing else are shown large, as messengers do. */
function isEmojiOnly(text) {
  if (!EMOJI_ONLY.test(text) || /^[\d#*\s]+$/.test(text))
    return false;
  const count = [...graphemes.segment(text.replace(/\s+/g, ''))].length;
  return count > 0 && count <= 3;
}

// Pictures are shown in a 2:1 frame (object-fit: cover) whose size is known before they load: nothing below moves.
const IMAGE_WIDTH = 640;
const IMAGE_HEIGHT = 320;

/** `eager`: the picture a chat opens on (its largest element) is fetched at once; older ones when scrolled to. */
function image(url, senderName, eager) {
  const picture = h('img', {
    class: 'bubble-image', src: url.href, alt: `Image from ${senderName}`, width: IMAGE_WIDTH, height: IMAGE_HEIGHT,
    loading: eager ? 'eager' : 'lazy', fetchpriority: eager ? 'high' : null, decoding: 'async', referrerpolicy: 'no-referrer',
    onerror: (event) => event.currentTarget.replaceWith(h('div', { class: 'bubble-image-missing' }, icon('alert'), 'Image unavailable')),
  });
  return externalLink(url, picture);
}

function linkCard(url) {
  const path = url.pathname === '/' ? '' : url.pathname;
  const card = externalLink(url, h('span', { class: 'link-card-icon' }, icon('link')),
    h('span', { class: 'link-card-text' }, h('strong', { text: url.hostname }), path && h('span', { text: path + url.search })));
  card.classList.add('link-card');
  return card;
}

function qrBlock(payload) {
  const showLarger = () => openDialog({ title: 'QR code', content: [h('div', { class: 'qr-large' }, qrCanvas(payload))], className: 'dialog-qr' });
  return h('button', { type: 'button', class: 'qr', title: 'Show larger', 'aria-label': 'QR code: show larger', onclick: showLarger }, qrCanvas(payload));
}

function actionButton(button) {
  const action = buttonAction(button.action);
  if (!action)
    return null;
  const content = [h('span', { text: button.caption }), action.external && icon('external')];
  // A deep link stays a plain link: the browser hands it to the app registered for its scheme.
  const link = action.external ? externalLink(new URL(action.href), ...content) : h('a', { href: action.href }, ...content);
  link.classList.add('bubble-action');
  return link;
}

function meta(record) {
  const time = h('time', { datetime: record.sent_at, title: fullTime(record.at), text: clockTime(record.at) });
  if (record.direction === 'in')
    return h('span', { class: 'bubble-meta' }, time);
  if (record.elsewhere)
    return h('span', { class: 'bubble-meta' }, h('span', { class: 'bubble-origin', text: 'Sent from another device' }), time, icon('check', 'Sent'));
  const state = {
    sending: icon('clock', 'Sending'),
    sent: icon('check', 'Sent'),
    failed: icon('alert', 'Not sent'),
  }[record.status];
  return h('span', { class: 'bubble-meta' }, time, state);
}

/**
 * @param {object} record a stored message (data/records.js)
 * @param {{senderName: string, onRetry: (id: string) => void, eagerImage?: boolean}} options
 */
export function bubble(record, { senderName, onRetry, eagerImage = false }) {
  const incoming = record.direction === 'in';
  const photo = incoming && httpsUrl(record.image_url);
  const linked = incoming && httpsUrl(record.url);
  const button = incoming && record.button && actionButton(record.button);
  const emojiOnly = record.text && isEmojiOnly(record.text);
  const classes = ['bubble', incoming ? 'bubble-in' : 'bubble-out', photo && 'has-image', emojiOnly && 'emoji-only'];

  return h('article', { class: classes.filter(Boolean).join(' '), dataset: { id: record.id, category: record.category ?? 'reply' } },
    incoming && record.category === 'promotional' && h('span', { class: 'promo-label', text: 'Promotion' }),
    photo && image(photo, senderName, eagerImage),
    record.text && h('p', { class: 'bubble-text' }, ...linkify(record.text)),
    linked && linkCard(linked),
    incoming && record.qr && qrBlock(record.qr),
    button,
    meta(record),
    record.status === 'failed' && h('div', { class: 'bubble-error' },
      h('span', { text: record.error ?? 'Not sent.' }),
      h('button', { type: 'button', class: 'link-button', onclick: () => onRetry(record.id) }, 'Retry')));
}
