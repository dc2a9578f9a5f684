import { api, may } from '../api.js';
import { h, replace, table, card, time, field, busy, badge, confirmAction, secretBox } from '../dom.js';

const ROLES = [
  ['viewer', 'Viewer — reads everything, changes nothing'],
  ['reviewer', 'Reviewer — the template queue only'],
  ['admin', 'Admin — everything but owners'],
  ['owner', 'Owner — everything (owners only)'],
];

/** The Team page's operator tokens: named, each with a role, for the CLI and scripts. */
export async function tokensCard() {
  const manage = may('ManageTeam');
  const out = h('div');
  const issued = h('div');
  let list = h('div');
  const section = card('Operator tokens',
    h('p', { class: 'muted' }, 'Tokens let the CLI and scripts call the operator API. Each has a role (never more than yours) and appears in the audit log as token:NAME.'),
    list, out, manage ? createForm() : null, issued);

  async function load() {
    const tokens = await api('GET', '/admin/v1/tokens');
    const fresh = table(['Name', 'Role', 'Created by', 'Expires', 'Last used', 'State', ''], tokens.map(row), 'No tokens.');
    list.replaceWith(fresh);
    list = fresh;
  }

  function row(t) {
    const revoke = h('button', { type: 'button', class: 'danger small', 'aria-label': `Revoke token ${t.name}` }, 'Revoke');
    revoke.addEventListener('click', () => busy(revoke, out, async () => {
      if (!await confirmAction(`Revoke the token ${t.name}?`, 'Every call with this token fails from now on. This cannot be undone, and the name cannot be used again.', 'Revoke token')) return;
      await api('DELETE', `/admin/v1/tokens/${encodeURIComponent(t.token_id)}`);
      await load();
    }));
    return h('tr', {},
      h('td', {}, h('div', {}, t.name), h('div', { class: 'small muted' }, 'created ', time(t.created_at))),
      h('td', {}, t.role),
      h('td', { class: 'small' }, t.created_by ?? '—'),
      h('td', { class: 'small' }, t.expires_at ? time(t.expires_at) : 'never'),
      h('td', { class: 'small' }, t.last_used_at ? time(t.last_used_at) : 'never'),
      h('td', {}, state(t)),
      h('td', {}, manage && !t.revoked_at ? revoke : null));
  }

  function createForm() {
    const name = h('input', { required: true, maxlength: 64, pattern: '[a-z0-9][a-z0-9.\\-]*', placeholder: 'ci-deploy', autocomplete: 'off' });
    const role = h('select', {}, ROLES.map(([value, label]) => h('option', { value }, label)));
    const expires = h('input', { type: 'date' });
    const create = h('button', { type: 'submit', class: 'primary' }, 'Create token');
    return h('details', {}, h('summary', {}, 'Create a token'),
      h('form', { class: 'stack-form', onsubmit: e => {
        e.preventDefault();
        return busy(create, out, async () => {
          const token = await api('POST', '/admin/v1/tokens', {
            name: name.value.trim(), role: role.value,
            expires_at: expires.value ? new Date(`${expires.value}T00:00:00Z`).toISOString() : undefined,
          });
          replace(issued, secretBox('operator token', token.token));
          name.value = '';
          await load();
        });
      } },
      field('Token name', name, 'Lower-case letters, digits, "." and "-". Shown in the audit log; never reused.'),
      field('Token access', role, 'The same as a person of that role; never more than yours.'),
      field('Token expires on (UTC, optional)', expires, 'From that day on the token is refused. Empty: never.'),
      h('div', { class: 'actions' }, create)));
  }

  await load();
  return section;
}

const state = t => t.revoked_at ? badge('revoked')
  : t.expires_at && new Date(t.expires_at) <= new Date() ? badge('expired') : badge('active');
