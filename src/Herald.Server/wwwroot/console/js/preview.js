// How a message looks in the consumer's Messenger: the sender's header, then the bubble with its content.
import { h } from './dom.js';

const PLACEHOLDER = /\{\{\s*([a-zA-Z0-9_]+)\s*\}\}/g;

/** Template text with its {{placeholders}} marked. */
export function highlight(text) {
  const parts = [];
  let last = 0;
  for (const m of text.matchAll(PLACEHOLDER)) {
    parts.push(text.slice(last, m.index), h('mark', {}, m[0]));
    last = m.index + m[0].length;
  }
  parts.push(text.slice(last));
  return parts;
}

export const placeholders = text => [...new Set([...text.matchAll(PLACEHOLDER)].map(m => m[1]))];

/** Substitutes params once, as the server does; missing ones stay visible as {{name}}. */
export const renderTemplate = (text, params) => text.replace(PLACEHOLDER, (all, name) => params[name] ? params[name] : all);

export function senderHeader(profile) {
  const initial = () => h('div', { class: 'sender-logo placeholder' }, (profile.name || '?')[0]);
  const logo = profile.logo_url ? h('img', { class: 'sender-logo', src: profile.logo_url, alt: '' }) : initial();
  logo.addEventListener('error', () => logo.replaceWith(initial())); // an unreachable logo shows the initial, as the Messenger does
  return h('div', { class: 'sender' },
    logo,
    h('div', {},
      h('div', { class: 'sender-name' }, profile.name, profile.verified ? h('span', { class: 'tick', title: 'Verified', 'aria-label': 'Verified' }, '✓') : null),
      h('div', { class: 'sender-sub' }, profile.two_way ? 'Business · replies welcome' : 'Business')));
}

/** A phone-shaped preview of one message from this sender. */
export function phone(profile, message) {
  const bubble = h('div', { class: 'bubble', 'aria-label': 'Message preview' },
    message.image_url ? h('img', { class: 'bubble-image', src: message.image_url, alt: '' }) : null,
    message.text ? h('p', { class: 'bubble-text' }, message.text) : h('p', { class: 'bubble-text muted' }, 'Your text appears here.'),
    message.url ? h('a', { class: 'bubble-link', href: message.url, target: '_blank', rel: 'noopener noreferrer' }, message.url) : null,
    message.qr ? h('div', { class: 'bubble-qr', title: message.qr }, h('div', { class: 'qr-mark', 'aria-hidden': 'true' }), h('span', {}, 'QR code: ', message.qr)) : null,
    message.button?.caption ? h('div', { class: 'bubble-button' }, message.button.caption) : null,
    h('div', { class: 'bubble-meta' }, message.category === 'promotional' ? 'Promotional' : 'Transactional', ' · now'));
  return h('div', { class: 'phone' },
    senderHeader(profile),
    h('div', { class: 'chat' }, bubble),
    h('div', { class: 'chat-foot' },
      profile.learn_more_url ? h('span', {}, 'Learn more') : null,
      h('span', {}, 'Unsubscribe'),
      profile.two_way ? h('span', { class: 'reply-box' }, 'Reply…') : null));
}
