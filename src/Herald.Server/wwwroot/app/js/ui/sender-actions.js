// "Learn more", "Mute" and "Unsubscribe": what every chat offers about its sender.
import { h } from './dom.js';
import { icon, verifiedBadge } from './icons.js';
import { avatar } from './avatar.js';
import { externalLink, httpsUrl } from './links.js';
import { confirmDialog, openDialog } from './dialog.js';
import { toast } from './toast.js';

/** Blocks the sender (after asking) or unblocks it; Herald tells the business (`unsubscribed` / `subscribed`). */
export async function toggleBlock(inbox, sender) {
  const blocking = !sender.blocked;
  if (blocking && !await confirmDialog({
    title: `Unsubscribe from ${sender.name}?`,
    text: `You will not receive messages from ${sender.name} any more. You can resubscribe at any time.`,
    confirm: 'Unsubscribe',
    danger: true,
  }))
    return;
  try {
    await inbox.setBlocked(sender.business_id, blocking);
    toast(blocking ? `Unsubscribed from ${sender.name}.` : `Resubscribed to ${sender.name}.`);
  } catch (error) {
    toast(`Could not ${blocking ? 'unsubscribe' : 'resubscribe'}: ${error.message}`, 'error');
  }
}

/** Mutes the sender (its messages still arrive, without notifications) or unmutes it; the business is not told. */
export async function toggleMute(inbox, sender) {
  const muting = !sender.muted;
  try {
    await inbox.setMuted(sender.business_id, muting);
    toast(muting ? `Muted ${sender.name}: messages still arrive, without notifications.` : `Unmuted ${sender.name}.`);
  } catch (error) {
    toast(`Could not ${muting ? 'mute' : 'unmute'}: ${error.message}`, 'error');
  }
}

export async function showSenderInfo(inbox, sender) {
  const learnMore = httpsUrl(sender.learn_more_url);
  const link = learnMore && externalLink(learnMore, h('span', { text: `Learn more at ${learnMore.hostname}` }), icon('external'));
  link?.classList.add('button', 'secondary', 'sender-link');
  const choice = await openDialog({
    title: sender.name,
    className: 'dialog-sender',
    content: [
      avatar(sender, 'lg'),
      h('p', { class: 'sender-status' }, sender.verified ? [verifiedBadge(), 'Verified business'] : 'This business is not verified'),
      sender.muted && !sender.blocked && h('p', { class: 'sender-status' }, icon('bellOff'), 'Muted: messages arrive without notifications'),
      sender.description && h('p', { class: 'sender-description', text: sender.description }),
      link,
      h('p', { class: 'sender-mode' }, icon(sender.two_way ? 'chat' : 'info'),
        sender.two_way ? 'This business reads your replies.' : 'This business sends messages only; it cannot receive replies.'),
      h('p', { class: 'sender-mode' }, icon('shield'), 'Herald delivers its messages and keeps no copy once you have them.'),
    ],
    actions: [{ label: sender.blocked ? 'Resubscribe' : 'Unsubscribe', value: 'toggle', kind: sender.blocked ? 'primary' : 'danger' }],
  });
  if (choice === 'toggle')
    await toggleBlock(inbox, sender);
}
