// "Turn on notifications" above the chat list, while the browser has not been asked yet. Permission is asked only
// from this button (browsers refuse a prompt without a click, and one on load is an annoyance). "Not now" hides it on
// this device.
import { pushSupported, subscribe, turnOnNotifications } from '../net/push.js';
import { h } from './dom.js';
import { icon } from './icons.js';
import { toast } from './toast.js';

const DISMISSED = 'herald.notify-prompt-dismissed';

export function notifyPrompt(api) {
  const element = h('section', { class: 'notify-prompt', 'aria-label': 'Notifications', hidden: true });
  if (!pushSupported())
    return { element };
  if (Notification.permission === 'granted') {
    subscribe(api).catch((error) => console.warn('Push subscription not renewed', error));
    return { element };
  }
  if (Notification.permission === 'denied' || localStorage.getItem(DISMISSED))
    return { element };

  const note = h('p', { text: 'Get a notification when a message arrives while the Messenger is closed.' });
  const turnOn = h('button', { type: 'button', class: 'button primary' }, icon('bell'), 'Turn on notifications');
  const notNow = h('button', { type: 'button', class: 'button secondary', text: 'Not now' });
  turnOn.addEventListener('click', async () => {
    turnOn.disabled = true;
    try {
      await turnOnNotifications(api);
      element.hidden = true;
      toast('Notifications are on.');
    } catch (error) {
      note.textContent = `Notifications could not be turned on: ${error.message}`;
      turnOn.disabled = Notification.permission === 'denied';
    }
  });
  notNow.addEventListener('click', () => {
    localStorage.setItem(DISMISSED, '1');
    element.hidden = true;
  });
  element.append(note, h('div', { class: 'notify-prompt-actions' }, turnOn, notNow));
  element.hidden = false;
  return { element };
}
