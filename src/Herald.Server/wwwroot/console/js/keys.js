import { api } from './api.js';
import { h, replace, field, badge, busy, table, card, time, confirmAction, secretBox } from './dom.js';

const SCOPES = [
  ['send', 'Send messages'], ['status', 'Read message status, stats and profile'], ['templates', 'Templates'],
  ['webhook', 'Webhook and its log'], ['campaigns', 'Campaigns'], ['inbox', 'Replies inbox'],
];

/** A business's API keys: the list, revoking, and issuing one (shown once). `base` is the keys' collection URL. */
export function keysCard(base, keys, { manage = true } = {}) {
  const out = h('div');
  const issued = h('div');
  const name = h('input', { maxlength: 100, placeholder: 'CRM production' });
  const expires = h('input', { type: 'date' });
  const boxes = SCOPES.map(([scope, label]) => {
    const box = h('input', { type: 'checkbox', checked: true, value: scope, id: `scope-${scope}` });
    return h('div', { class: 'field check' }, box, h('label', { for: box.id }, h('code', {}, scope), ' ', label));
  });
  const issue = h('button', { type: 'submit', class: 'primary' }, 'Issue API key');
  const form = h('form', { class: 'stack-form', onsubmit: e => {
    e.preventDefault();
    return busy(issue, out, async () => {
      const scopes = boxes.map(d => d.querySelector('input')).filter(i => i.checked).map(i => i.value);
      const key = await api('POST', base, {
        name: name.value.trim() || undefined,
        scopes: scopes.length === SCOPES.length ? undefined : scopes,
        expires_at: expires.value ? new Date(`${expires.value}T00:00:00Z`).toISOString() : undefined,
      });
      replace(issued, secretBox('API key', key.api_key));
      keys = [...keys, { ...key, api_key: undefined }];
      list.replaceWith(list = keyTable(base, keys, out, manage));
    });
  } },
  field('Key name', name),
  h('fieldset', {}, h('legend', {}, 'Scopes: what the key may do'), boxes),
  field('Expires on (UTC, optional)', expires, 'From that day on the key is refused. Empty: never.'),
  h('div', { class: 'actions' }, issue));
  let list = keyTable(base, keys, out, manage);
  return card('API keys', h('p', { class: 'muted' }, 'Keys authenticate the business API, each for the scopes it holds. Revoking one stops it at once.'),
    list, out, manage ? h('details', {}, h('summary', {}, 'Issue a new key'), form) : null, issued);
}

function keyTable(base, keys, out, manage) {
  return table(['Key', 'Scopes', 'Expires', 'Last used', 'State', ''], keys.map(k => {
    const label = k.name ?? k.key_id;
    const revoke = h('button', { type: 'button', class: 'danger small', 'aria-label': `Revoke ${label}` }, 'Revoke');
    const state = h('td', {}, k.revoked_at ? badge('revoked') : keyState(k));
    revoke.addEventListener('click', () => busy(revoke, out, async () => {
      if (!await confirmAction(`Revoke ${label}?`, 'Every request with this key fails from now on. This cannot be undone: a new key has to be issued.', 'Revoke key')) return;
      await api('DELETE', `${base}/${encodeURIComponent(k.key_id)}`);
      replace(state, badge('revoked'));
      revoke.remove();
    }));
    return h('tr', {},
      h('td', {}, k.name ? h('div', {}, k.name) : null, h('div', { class: 'mono small muted' }, k.key_id), h('div', { class: 'small muted' }, 'issued ', time(k.created_at))),
      h('td', { class: 'small' }, k.scopes.length === SCOPES.length ? 'all' : k.scopes.join(', ')),
      h('td', { class: 'small' }, k.expires_at ? time(k.expires_at) : 'never'),
      h('td', { class: 'small' }, k.last_used_at ? time(k.last_used_at) : 'never'),
      state, h('td', {}, k.revoked_at || !manage ? null : revoke));
  }), 'No keys yet.');
}

const keyState = k => k.expires_at && new Date(k.expires_at) <= new Date() ? badge('expired') : badge('active');
