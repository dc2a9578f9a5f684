// Settings: the account and its devices, the opt-outs, muted and unsubscribed senders, and the consumer's rights over
// their data (export, restrict, erase). Each takes effect on Herald at once; a switch shows the server's answer, not
// the wish. "Show message text in notifications" is kept on this device only.
import { h } from './dom.js';
import { icon } from './icons.js';
import { confirmDialog } from './dialog.js';
import { toast } from './toast.js';
import { devicesCard } from './settings-devices.js';
import { silencedSendersCard } from './settings-senders.js';
import { NOTIFICATION_PREVIEWS, readPreference, savePreference } from '../data/preferences.js';

let counter = 0;

function switchRow(iconName, title, description, onChange) {
  const id = `setting-${++counter}`;
  const input = h('input', {
    type: 'checkbox', role: 'switch', class: 'switch', disabled: true,
    'aria-labelledby': `${id}-title`, 'aria-describedby': `${id}-text`,
  });
  input.addEventListener('change', () => onChange(input));
  const row = h('label', { class: 'setting-row' },
    h('span', { class: 'setting-icon' }, icon(iconName)),
    h('span', { class: 'setting-text' },
      h('span', { class: 'setting-title', id: `${id}-title`, text: title }),
      h('span', { class: 'setting-description', id: `${id}-text`, text: description })),
    input);
  return { row, input };
}

function actionRow(iconName, title, description, button) {
  return h('div', { class: 'setting-row' },
    h('span', { class: 'setting-icon' }, icon(iconName)),
    h('span', { class: 'setting-text' }, h('span', { class: 'setting-title', text: title }), h('span', { class: 'setting-description', text: description })),
    button);
}

async function download(api) {
  const blob = await api.exportData();
  const url = URL.createObjectURL(blob);
  const link = h('a', { href: url, download: `herald-my-data-${new Date().toISOString().slice(0, 10)}.json`, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** The switch for a choice kept on this device (IndexedDB), not on Herald. */
function previewsSwitch(db) {
  const previews = switchRow('bell', 'Show message text in notifications',
    'Notifications name the sender; turn this off to keep the text of messages off your lock screen.',
    async (input) => {
      input.disabled = true;
      try {
        await savePreference(db, NOTIFICATION_PREVIEWS, input.checked);
      } catch (error) {
        input.checked = !input.checked;
        toast(`Not saved: ${error.message}`, 'error');
      }
      input.disabled = false;
    });
  readPreference(db, NOTIFICATION_PREVIEWS).then((on) => {
    previews.input.checked = on;
    previews.input.disabled = false;
  }, (error) => console.error('Could not read a setting', error));
  return previews.row;
}

/**
 * @param {{api: object, inbox: object, db: IDBDatabase, session: {phone: string}, endSession: (notice: string) => Promise<void>}} options
 */
export function settingsView({ api, inbox, db, session, endSession }) {
  const all = switchRow('chat', 'Business messages', 'Receive messages from businesses. When off, nothing reaches you and senders learn you opted out.',
    (input) => save(input, () => api.saveSettings({ business_messages: input.checked })));
  const promotional = switchRow('bell', 'Promotional messages', 'Offers and news. Updates you need, such as deliveries and bookings, still arrive.',
    (input) => save(input, () => api.saveSettings({ promotional: input.checked })));
  const restricted = switchRow('pause', 'Stop processing my data', 'Herald stops delivering messages to you and drops those waiting, until you turn this off.',
    async (input) => {
      if (input.checked && !await confirmDialog({
        title: 'Stop processing your data?',
        text: 'Herald will stop delivering messages to you: businesses are told their messages could not be delivered. Messages waiting for you now are dropped. You can turn this off at any time.',
        confirm: 'Stop processing',
        danger: true,
      })) {
        input.checked = false;
        return;
      }
      await save(input, () => api.setRestricted(input.checked));
    });
  const switches = [all.input, promotional.input, restricted.input];

  const apply = (settings) => {
    all.input.checked = settings.business_messages;
    promotional.input.checked = settings.promotional;
    restricted.input.checked = settings.restricted;
    switches.forEach((input) => { input.disabled = false; });
    promotional.input.disabled = !settings.business_messages;
  };
  let settings = null;
  async function save(input, request) {
    switches.forEach((s) => { s.disabled = true; });
    try {
      const answer = await request();
      settings = 'business_messages' in answer ? answer : { ...settings, ...answer };
      toast('Saved.');
    } catch (error) {
      toast(`Not saved: ${error.message}`, 'error');
    }
    apply(settings);
  }

  const downloadButton = h('button', { type: 'button', class: 'button secondary' }, icon('download'), 'Download my data');
  downloadButton.addEventListener('click', async () => {
    downloadButton.disabled = true;
    try {
      await download(api);
    } catch (error) {
      toast(`Could not download your data: ${error.message}`, 'error');
    } finally {
      downloadButton.disabled = false;
    }
  });
  const deleteButton = h('button', { type: 'button', class: 'button danger' }, icon('trash'), 'Delete my account');
  deleteButton.addEventListener('click', async () => {
    if (!await confirmDialog({
      title: 'Delete your account?',
      text: 'Herald erases your account, settings and blocks at once, and drops messages waiting for you. The history on this device is deleted too. This cannot be undone.',
      confirm: 'Delete my account',
      danger: true,
    }))
      return;
    try {
      await api.eraseMe();
      await endSession('Your account was deleted. You can sign up again with your phone number at any time.');
    } catch (error) {
      toast(`Your account was not deleted: ${error.message}`, 'error');
    }
  });
  const signOutButton = h('button', { type: 'button', class: 'button secondary' }, icon('logout'), 'Sign out');
  signOutButton.addEventListener('click', async () => {
    if (!await confirmDialog({
      title: 'Sign out?',
      text: 'The message history on this device is deleted when you sign out: Herald keeps no copy of messages it has delivered.',
      confirm: 'Sign out',
    }))
      return;
    try {
      await api.signOut();
      await endSession('You signed out.');
    } catch (error) {
      toast(`Could not sign out: ${error.message}`, 'error');
    }
  });

  const silenced = silencedSendersCard(inbox);
  const status = h('p', { class: 'settings-status', role: 'status', text: 'Loading your settings…' });
  api.settings().then((loaded) => {
    settings = loaded;
    apply(settings);
    status.remove();
  }, (error) => {
    status.textContent = `Your settings cannot be loaded: ${error.message}`;
  });

  const element = h('section', { class: 'settings' },
    h('header', { class: 'pane-header' },
      h('a', { class: 'icon-button back', href: '/app/', 'data-route': true, 'aria-label': 'Back to chats' }, icon('back')),
      h('h1', { text: 'Settings' })),
    h('div', { class: 'settings-body' },
      status,
      h('section', { class: 'card', 'aria-labelledby': 'settings-account' },
        h('h2', { id: 'settings-account', text: 'Account' }),
        h('div', { class: 'setting-row' },
          h('span', { class: 'setting-icon' }, icon('phone')),
          h('span', { class: 'setting-text' }, h('span', { class: 'setting-title', text: session.phone }),
            h('span', { class: 'setting-description', text: 'Signed in on this device' })),
          signOutButton)),
      devicesCard(api),
      h('section', { class: 'card', 'aria-labelledby': 'settings-messages' },
        h('h2', { id: 'settings-messages', text: 'Messages' }),
        all.row,
        promotional.row,
        previewsSwitch(db)),
      silenced.element,
      h('section', { class: 'card', 'aria-labelledby': 'settings-data' },
        h('h2', { id: 'settings-data', text: 'Your data' }),
        actionRow('download', 'Download my data', 'Everything Herald holds about you, as a JSON file.', downloadButton),
        restricted.row,
        actionRow('trash', 'Delete my account', 'Erase your account on Herald and the history on this device.', deleteButton)),
      h('p', { class: 'fine-print' },
        'Your message history lives on this device only. Herald deletes each message once your devices have it.')));
  return { element, dispose: silenced.dispose };
}
