import { api, may } from '../api.js';
import { h, table, card, time, field, busy, badge } from '../dom.js';
import { tokensCard } from './tokens.js';

const ROLES = [
  ['viewer', 'Viewer — reads everything, changes nothing'],
  ['reviewer', 'Reviewer — the template queue only'],
  ['admin', 'Admin — everything but owners'],
  ['owner', 'Owner — everything'],
];

export async function render(main) {
  const list = h('div');
  const manage = may('ManageTeam');
  main.append(h('header', { class: 'page-head' }, h('h1', {}, 'Team'),
    h('p', { class: 'muted' }, 'The people who run this Herald. Owners and admins sign in with an authenticator app too.')));
  if (manage) main.append(inviteCard(() => load()));
  main.append(card('People', list));

  async function load() {
    const people = await api('GET', '/admin/v1/operators');
    list.replaceChildren(table(['E-mail', 'Role', 'Status', 'Authenticator', 'Since', ''], people.map(p => h('tr', {},
      h('td', {}, p.email), h('td', {}, p.role), h('td', {}, badge(p.status, p.status === 'active' ? 'approved' : 'pending')),
      h('td', {}, p.second_factor ? 'yes' : 'no'), h('td', { class: 'nowrap' }, time(p.created_at)),
      h('td', { class: 'actions' }, manage ? [
        h('button', { onclick: e => reset(e.currentTarget, p), 'aria-label': `Reset password for ${p.email}` }, 'Reset password'),
        h('button', { class: 'danger', onclick: e => remove(e.currentTarget, p), 'aria-label': `Remove ${p.email}` }, 'Remove'),
      ] : null))), 'Nobody yet: invite the first owner with the operator token (herald operator invite).'));
  }

  async function reset(button, person) {
    if (!confirm(`Reset ${person.email}'s password? They are signed out at once and need the new link.`)) return;
    await busy(button, null, async () => {
      const issued = await api('POST', `/admin/v1/operators/${encodeURIComponent(person.account_id)}/password-reset`);
      list.prepend(linkBox('Password reset link', issued));
    });
  }

  async function remove(button, person) {
    if (!confirm(`Remove ${person.email} from the team? They are signed out at once.`)) return;
    await busy(button, null, async () => {
      await api('DELETE', `/admin/v1/operators/${encodeURIComponent(person.account_id)}`);
      await load();
    });
  }

  await load();
  main.append(await tokensCard());
}

function inviteCard(reload) {
  const email = h('input', { type: 'email', required: true, autocomplete: 'off' });
  const role = h('select', {}, ROLES.map(([value, label]) => h('option', { value }, label)));
  const out = h('div');
  const button = h('button', { type: 'submit', class: 'primary' }, 'Invite');
  return card('Invite someone',
    h('form', { class: 'inline-form', onsubmit: async e => {
      e.preventDefault();
      await busy(button, out, async () => {
        const issued = await api('POST', '/admin/v1/operators/invitations', { email: email.value.trim(), role: role.value });
        out.append(linkBox('Invitation link', issued));
        email.value = '';
        await reload();
      });
    } }, field('E-mail', email), field('Role', role), button),
    out);
}

/** A link shown once, to hand over by a channel the operator trusts (Herald sends no e-mail). */
function linkBox(label, issued) {
  return h('div', { class: 'alert alert-ok', role: 'status' },
    field(label, h('input', { readonly: true, value: issued.url }),
      `For ${issued.email}. Works once, until ${time(issued.expires_at)}. Herald sends no e-mail: pass it on yourself.`));
}
