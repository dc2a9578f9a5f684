// One chat: the sender's header with "Learn more", "Mute" and "Unsubscribe", the messages by day, and at the bottom the
// reply box (two-way senders), a note (one-way senders) or the way back (unsubscribed).
import { fill, h } from './dom.js';
import { focusHeading } from './focus.js';
import { icon, verifiedBadge } from './icons.js';
import { avatar } from './avatar.js';
import { bubble } from './bubble.js';
import { composer } from './composer.js';
import { dayLabel, sameDay } from './format.js';
import { SeenWatcher } from './seen-watcher.js';
import { showSenderInfo, toggleBlock, toggleMute } from './sender-actions.js';

const NEAR_BOTTOM_PX = 80;

function headerButton(name, label, onclick) {
  return h('button', { type: 'button', class: 'header-button', onclick }, icon(name), h('span', { class: 'header-button-label', text: label }));
}

function header(inbox, sender) {
  const subtitle = [sender.verified ? 'Verified business' : 'Business', sender.two_way ? 'replies welcome' : null,
    sender.muted && !sender.blocked ? 'muted' : null].filter(Boolean).join(' · ');
  return h('header', { class: 'pane-header chat-header' },
    h('a', { class: 'icon-button back', href: '/app/', 'data-route': true, 'aria-label': 'Back to chats' }, icon('back')),
    h('div', { class: 'chat-title' },
      avatar(sender, 'sm'),
      h('span', { class: 'chat-title-text' },
        h('span', { class: 'chat-name' }, h('h1', { text: sender.name }),
          // Shown at every width: the tick's absence alone is easy to miss.
          sender.verified ? verifiedBadge() : h('span', { class: 'unverified-label', text: 'Not verified' })),
        h('span', { class: 'chat-subtitle', text: subtitle }))),
    h('div', { class: 'chat-actions' },
      headerButton('info', 'Learn more', () => showSenderInfo(inbox, sender)),
      // Mute (a bell struck out: messages arrive, silently) is not unsubscribe (a no-entry sign: messages stop).
      !sender.blocked && (sender.muted
        ? headerButton('bell', 'Unmute', () => toggleMute(inbox, sender))
        : headerButton('bellOff', 'Mute', () => toggleMute(inbox, sender))),
      sender.blocked
        ? headerButton('subscribe', 'Resubscribe', () => toggleBlock(inbox, sender))
        : headerButton('block', 'Unsubscribe', () => toggleBlock(inbox, sender))));
}

function footer(inbox, sender) {
  if (sender.blocked) {
    return h('div', { class: 'chat-notice' },
      h('p', { text: `You unsubscribed from ${sender.name}. Their messages no longer reach you.` }),
      h('button', { type: 'button', class: 'button primary', onclick: () => toggleBlock(inbox, sender) }, 'Resubscribe'));
  }
  if (sender.two_way)
    return composer({ senderName: sender.name, onSend: (text) => inbox.reply(sender.business_id, text) });
  return h('div', { class: 'chat-notice muted' }, h('p', { text: `${sender.name} sends messages only; it does not receive replies.` }));
}

/** Inserts or replaces `record` in `records`, keeping them in time order. */
function upsert(records, record) {
  const index = records.findIndex((r) => r.id === record.id);
  if (index >= 0) {
    records[index] = record;
    return;
  }
  let at = records.length;
  while (at > 0 && records[at - 1].at > record.at)
    at--;
  records.splice(at, 0, record);
}

export function chatView({ inbox, businessId }) {
  const sender = inbox.sender(businessId);
  if (!sender) {
    return {
      element: h('section', { class: 'pane-empty' }, icon('chat'), h('p', { text: 'There is no chat with this sender on this device.' }),
        h('a', { href: '/app/', 'data-route': true, class: 'button secondary' }, 'Back to chats')),
    };
  }

  const content = h('div', { class: 'messages-content' });
  const scroller = h('div', { class: 'messages', role: 'log', 'aria-label': `Messages from ${sender.name}` }, content);
  const jump = h('button', { type: 'button', class: 'jump', hidden: true, 'aria-label': 'Scroll to the latest message' }, icon('down'));
  const headerSlot = h('div', { class: 'chat-header-slot' });
  const footerSlot = h('div', { class: 'chat-footer' });
  const element = h('section', { class: 'chat', dataset: { sender: businessId } }, headerSlot, h('div', { class: 'messages-wrap' }, scroller, jump), footerSlot);

  const watcher = new SeenWatcher(scroller, (ids) => inbox.markSeen(ids));
  const bubbles = new Map(); // message id → {record, node}, kept across renders so images and QR codes are drawn once
  let records = [];
  let firstUnreadId = null;
  let newestImageId = null;
  let stuckToBottom = true;

  const nearBottom = () => scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < NEAR_BOTTOM_PX;
  const toBottom = () => { scroller.scrollTop = scroller.scrollHeight; };
  const senderName = () => inbox.sender(businessId)?.name ?? sender.name;

  const bubbleFor = (record) => {
    const known = bubbles.get(record.id);
    if (known?.record === record)
      return known.node;
    const node = bubble(record, { senderName: senderName(), onRetry: (id) => inbox.retryReply(id), eagerImage: record.id === newestImageId });
    bubbles.set(record.id, { record, node });
    if (record.direction === 'in' && !record.seen)
      watcher.watch(node);
    return node;
  };

  const render = () => {
    if (records.length === 0) {
      // Not an empty chat: a device signed in after the messages came. Say why, rather than show nothing.
      fill(content, h('p', { class: 'no-history' },
        'No messages on this device. Your history stays on the device where each message was received: Herald keeps no copy once it is delivered. New messages from this sender will appear here.'));
      return;
    }
    const nodes = [];
    let previous = null;
    for (const record of records) {
      if (!previous || !sameDay(previous.at, record.at))
        nodes.push(h('div', { class: 'day', role: 'separator' }, h('span', { text: dayLabel(record.at) })));
      if (record.id === firstUnreadId)
        nodes.push(h('div', { class: 'unread-divider', role: 'separator' }, h('span', { text: 'Unread messages' })));
      nodes.push(bubbleFor(record));
      previous = record;
    }
    fill(content, nodes);
  };

  let shownProfile = null;
  const renderFrame = () => {
    const current = inbox.sender(businessId) ?? sender;
    const profile = JSON.stringify([current.name, current.logo_url, current.verified, current.two_way, current.blocked,
      current.muted, current.description, current.learn_more_url]);
    if (profile === shownProfile)
      return; // the list changed for another reason (a new message, an unread count)
    shownProfile = profile;
    // A fresher profile (fetched after the chat opened) redraws the header. Whatever in it had focus (the heading,
    // "Learn more", "Mute") keeps it: the same control in the new header takes it, so the keyboard does not fall to <body>.
    const focusables = () => [...headerSlot.querySelectorAll('h1, a[href], button')];
    const focusedAt = focusables().indexOf(document.activeElement);
    const headingHadFocus = document.activeElement?.tagName === 'H1' && focusedAt >= 0;
    fill(headerSlot, header(inbox, current));
    if (headingHadFocus)
      focusHeading(headerSlot); // it needs its tabindex again
    else if (focusedAt >= 0) {
      const now = focusables(); // "Unsubscribe" hides "Mute": the last control takes focus then
      now[Math.min(focusedAt, now.length - 1)]?.focus({ preventScroll: true });
    }
    const composing = footerSlot.querySelector('textarea');
    const keep = composing && current.two_way && !current.blocked; // do not throw away a reply being written
    if (!keep)
      fill(footerSlot, footer(inbox, current));
  };

  const onChat = (event) => {
    if (event.detail.business_id !== businessId)
      return;
    const stick = nearBottom() || event.detail.record.direction === 'out';
    upsert(records, event.detail.record);
    render();
    if (stick)
      toBottom();
    else
      jump.hidden = false;
  };
  const onChats = () => renderFrame();
  scroller.addEventListener('scroll', () => {
    stuckToBottom = nearBottom();
    if (stuckToBottom)
      jump.hidden = true;
  }, { passive: true });
  jump.addEventListener('click', () => scroller.scrollTo({ top: scroller.scrollHeight, behavior: 'smooth' }));
  // Images and QR codes change heights after they load: a chat showing its latest message keeps showing it.
  const resizes = new ResizeObserver(() => {
    if (stuckToBottom)
      toBottom();
  });
  resizes.observe(content);
  inbox.addEventListener('chat', onChat);
  inbox.addEventListener('chats', onChats);
  renderFrame();

  inbox.messages(businessId).then((stored) => {
    // Messages that arrived while loading are already in `records`; the stored ones join them.
    for (const record of stored)
      if (!records.some((r) => r.id === record.id))
        upsert(records, record);
    // The divider marks where the unread part starts; a chat that is all unread needs none.
    const firstUnread = records.findIndex((r) => r.direction === 'in' && !r.seen);
    firstUnreadId = firstUnread > 0 ? records[firstUnread].id : null;
    newestImageId = records.findLast((r) => r.direction === 'in' && r.image_url)?.id ?? null;
    render();
    const firstUnreadNode = firstUnread >= 0 ? bubbles.get(records[firstUnread].id).node : null;
    if (firstUnreadNode) {
      scroller.scrollTop = (firstUnreadNode.previousElementSibling ?? firstUnreadNode).offsetTop - 8;
      stuckToBottom = nearBottom();
    } else {
      toBottom();
    }
    element.dataset.loaded = 'true';
  }).catch((error) => console.error('Could not read the chat from this device', error));

  return {
    element,
    dispose() {
      watcher.dispose();
      resizes.disconnect();
      inbox.removeEventListener('chat', onChat);
      inbox.removeEventListener('chats', onChats);
    },
  };
}
