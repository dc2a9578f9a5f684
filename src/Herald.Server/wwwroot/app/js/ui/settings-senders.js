// Settings → Muted and unsubscribed: the senders the consumer silenced (mute: messages arrive without notifications)
// or stopped (unsubscribe: messages no longer reach them), each with the way back.
import { fill, h } from './dom.js';
import { icon } from './icons.js';
import { avatar } from './avatar.js';
import { toggleBlock, toggleMute } from './sender-actions.js';

function senderRow(inbox, sender) {
  const [state, label, action] = sender.blocked
    ? ['Unsubscribed: messages no longer reach you', 'Resubscribe', () => toggleBlock(inbox, sender)]
    : ['Muted: messages arrive without notifications', 'Unmute', () => toggleMute(inbox, sender)];
  return h('div', { class: 'setting-row', dataset: { sender: sender.business_id } },
    avatar(sender, 'sm'),
    h('span', { class: 'setting-text' },
      h('span', { class: 'setting-title', text: sender.name }),
      h('span', { class: 'setting-description' }, icon(sender.blocked ? 'block' : 'bellOff'), state)),
    h('button', { type: 'button', class: 'button secondary', 'aria-label': `${label} ${sender.name}`, onclick: action }, label));
}

/** @returns {{element: Node, dispose: () => void}} */
export function silencedSendersCard(inbox) {
  const rows = h('div', {});
  const render = () => {
    const silenced = inbox.chats().filter((sender) => sender.blocked || sender.muted)
      .sort((a, b) => a.name.localeCompare(b.name));
    fill(rows, silenced.length > 0
      ? silenced.map((sender) => senderRow(inbox, sender))
      : h('p', { class: 'setting-row setting-description', text: 'You have not muted or unsubscribed from any sender.' }));
  };
  inbox.addEventListener('chats', render);
  render();
  return {
    element: h('section', { class: 'card', 'aria-labelledby': 'settings-senders' },
      h('h2', { id: 'settings-senders', text: 'Muted and unsubscribed' }), rows),
    dispose: () => inbox.removeEventListener('chats', render),
  };
}
