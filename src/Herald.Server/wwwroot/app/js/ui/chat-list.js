// The list of chats, one per sender: logo, name, verified tick, the latest message, its time and the unread count.
import { fill, h } from './dom.js';
import { icon, verifiedBadge } from './icons.js';
import { avatar } from './avatar.js';
import { listTime } from './format.js';
import { chatPath } from './router.js';

function row(sender, active) {
  const unread = sender.unread ?? 0;
  let previewText = sender.last_preview ?? 'No messages on this device';
  if (sender.last_direction === 'out')
    previewText = `You: ${previewText}`;
  return h('li', {},
    h('a', {
      class: `chat-row${unread > 0 ? ' unread' : ''}`, href: chatPath(sender.business_id), 'data-route': true,
      dataset: { sender: sender.business_id }, 'aria-current': active ? 'page' : null,
    },
    avatar(sender),
    h('span', { class: 'chat-row-main' },
      h('span', { class: 'chat-row-top' },
        h('span', { class: 'chat-row-name' }, h('span', { class: 'name', text: sender.name }), sender.verified && verifiedBadge()),
        sender.muted && !sender.blocked && icon('bellOff', 'Muted'),
        sender.last_at !== undefined && h('span', { class: 'chat-row-time', text: listTime(sender.last_at) })),
      h('span', { class: 'chat-row-bottom' },
        sender.blocked
          ? h('span', { class: 'chat-row-preview muted' }, icon('block'), 'Unsubscribed')
          : h('span', { class: 'chat-row-preview', text: previewText }),
        unread > 0 && h('span', { class: 'unread-count', 'aria-label': `${unread} unread`, text: unread > 99 ? '99+' : String(unread) })))));
}

export function chatList(inbox) {
  const list = h('ul', { class: 'chat-list' });
  const empty = h('div', { class: 'empty-list' },
    icon('chat'),
    h('p', { class: 'empty-title', text: 'No messages on this device yet' }),
    h('p', { text: 'When a business you deal with sends you a message, it appears here. Messages you received before signing in here stay on the device that received them: Herald keeps no copy once they are delivered.' }));
  const element = h('nav', { class: 'chats', 'aria-label': 'Chats' });
  let activeId = null;

  const render = () => {
    const chats = inbox.chats();
    if (chats.length === 0)
      fill(element, empty);
    else
      fill(element, fill(list, chats.map((sender) => row(sender, sender.business_id === activeId))));
  };
  inbox.addEventListener('chats', render);
  render();
  return {
    element,
    setActive(businessId) {
      activeId = businessId;
      render();
    },
  };
}
