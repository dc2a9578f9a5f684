// Settings → Devices: where this consumer is signed in, with a way to sign any other device out (it loses its
// history: Herald keeps no copy, docs/messenger.md).
import { fill, h } from './dom.js';
import { icon } from './icons.js';
import { confirmDialog } from './dialog.js';
import { fullTime, listTime } from './format.js';
import { toast } from './toast.js';

const ACTIVE_NOW_MS = 2 * 60 * 1000;
const PHONE_NAMES = /android|iphone|ipad|ios|mobile/i;

function lastActive(device) {
  const at = Date.parse(device.last_active_at);
  if (Number.isNaN(at))
    return 'Not active yet';
  return Date.now() - at < ACTIVE_NOW_MS ? 'Active now' : `Last active: ${listTime(at)}`;
}

function deviceRow(device, signOut) {
  const details = [device.current ? 'This device' : null, lastActive(device)].filter(Boolean).join(' · ');
  const signedIn = Date.parse(device.signed_in_at);
  return h('div', { class: 'setting-row', dataset: { device: device.device_id } },
    h('span', { class: 'setting-icon' }, icon(PHONE_NAMES.test(device.name ?? '') ? 'phone' : 'laptop')),
    h('span', { class: 'setting-text' },
      h('span', { class: 'setting-title', text: device.name || 'Unknown device' }),
      h('span', { class: 'setting-description', text: details, title: Number.isNaN(signedIn) ? null : `Signed in ${fullTime(signedIn)}` })),
    !device.current && h('button', {
      type: 'button', class: 'button secondary', 'aria-label': `Sign out ${device.name || 'this device'}`, onclick: () => signOut(device),
    }, icon('logout'), 'Sign out'));
}

export function devicesCard(api) {
  const rows = h('div', {}, h('p', { class: 'setting-row settings-status', role: 'status', text: 'Loading your devices…' }));

  const signOut = async (device) => {
    if (!await confirmDialog({
      title: `Sign out ${device.name || 'this device'}?`,
      text: 'That device stops receiving messages at once, and its message history is deleted the next time it opens the Messenger. Herald keeps no copy.',
      confirm: 'Sign out',
      danger: true,
    }))
      return;
    try {
      await api.signOutDevice(device.device_id);
      toast(`Signed out ${device.name || 'the device'}.`);
      await load();
    } catch (error) {
      toast(`Could not sign it out: ${error.message}`, 'error');
    }
  };

  async function load() {
    try {
      const devices = await api.devices();
      // This device first, then the most recently active.
      devices.sort((a, b) => Number(b.current) - Number(a.current) || (Date.parse(b.last_active_at) || 0) - (Date.parse(a.last_active_at) || 0));
      fill(rows, devices.map((device) => deviceRow(device, signOut)));
    } catch (error) {
      fill(rows, h('p', { class: 'setting-row settings-status', role: 'status', text: `Your devices cannot be loaded: ${error.message}` }));
    }
  }
  load();

  return h('section', { class: 'card', 'aria-labelledby': 'settings-devices' },
    h('h2', { id: 'settings-devices', text: 'Signed-in devices' }),
    rows,
    h('p', { class: 'card-note', text: 'Each device keeps its own history: messages stay on the device that received them.' }));
}
