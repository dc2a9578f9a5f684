// How a message looks in the consumer's Messenger: the sender's header, then the bubble with its content.
import { h } from './dom.js';
import { bubble as messengerBubble } from '/app/js/ui/bubble.js';

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
      h('div', { class: 'sender-name' }, profile.name, profile.verified ? h('span', { class: 'tick', role: 'img', title: 'Verified', 'aria-label': 'Verified' }, '✓') : null),
      h('div', { class: 'sender-sub' }, profile.two_way ? 'Business · replies welcome' : 'Business')));
}

/**
 * A phone-shaped preview of one message from this sender. The bubble is the Messenger's own component (its bubble,
 * QR encoder, action button and Promotion label, with its stylesheet), so the preview cannot drift from what
 * consumers see.
 */
export function phone(profile, message) {
  const now = Date.now();
  const record = {
    id: 'preview', direction: 'in', category: message.category, text: message.text || 'Your text appears here.',
    url: message.url, image_url: message.image_url, qr: message.qr,
    button: message.button?.caption ? message.button : undefined, sent_at: new Date(now).toISOString(), at: now,
  };
  return h('div', { class: 'phone' },
    senderHeader(profile),
    h('div', { class: 'chat', role: 'group', 'aria-label': 'Message preview' }, messengerBubble(record, { senderName: profile.name, onRetry: () => {} })),
    h('div', { class: 'chat-foot' },
      profile.learn_more_url ? h('span', {}, 'Learn more') : null,
      h('span', {}, 'Unsubscribe'),
      profile.two_way ? h('span', { class: 'reply-box' }, 'Reply…') : null));
}
