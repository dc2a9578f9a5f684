import { api } from './api.js';
import { h, table, card, time, field, busy, badge, confirmAction } from './dom.js';

/**
 * A team's page: the operators, or a business's members. `team` names the routes (`list`, `invite`, `person(p)`),
 * the `roles` to offer, whether this person may `manage` it and whether passwords can be `reset` from here.
 */
export async function peoplePage(main, team) {
  main.append(h('header', { class: 'page-head' }, h('h1', {}, team.title), h('p', { class: 'muted' }, team.intro)));
  main.append(...await peopleCards(team));
}

/** The team's cards (inviting, when this person may, and the people), for a page of their own or another page. */
export async function peopleCards(team) {
  const list = h('div');

  async function load() {
    const people = await api('GET', team.list);
    list.replaceChildren(table(['E-mail', 'Role', 'Status', 'Authenticator', 'Since', ''], people.map(p => h('tr', {},
      h('td', {}, p.email), h('td', {}, p.role), h('td', {}, badge(p.status, p.status === 'active' ? 'approved' : 'pending')),
      h('td', {}, p.second_factor ? 'yes' : 'no'), h('td', { class: 'nowrap' }, time(p.created_at)),
      h('td', { class: 'actions' }, team.manage ? [
        team.reset ? h('button', { onclick: e => reset(e.currentTarget, p), 'aria-label': `Reset password for ${p.email}` }, 'Reset password') : null,
        h('button', { class: 'danger', onclick: e => remove(e.currentTarget, p), 'aria-label': `Remove ${p.email}` }, 'Remove'),
      ] : null))), team.empty));
  }

  async function reset(button, person) {
    if (!await confirmAction(`Reset ${person.email}'s password?`, 'They are signed out at once and need the new link.', 'Reset password')) return;
    await busy(button, null, async () => {
      const issued = await api('POST', `${team.person(person)}/password-reset`);
      list.prepend(linkBox('Password reset link', issued));
    });
  }

  async function remove(button, person) {
    if (!await confirmAction(`Remove ${person.email}?`, 'They are signed out at once, and their unused links stop working.', 'Remove')) return;
    await busy(button, null, async () => {
      await api('DELETE', team.person(person));
      await load();
    });
  }

  await load();
  return [team.manage ? inviteCard(team, load) : null, card(team.listTitle ?? 'People', list)].filter(Boolean);
}

function inviteCard(team, reload) {
  const email = h('input', { type: 'email', required: true, autocomplete: 'off' });
  const role = h('select', {}, team.roles.map(([value, label]) => h('option', { value }, label)));
  const out = h('div');
  const button = h('button', { type: 'submit', class: 'primary' }, 'Invite');
  return card(team.inviteTitle ?? 'Invite someone',
    h('form', { class: 'inline-form', onsubmit: async e => {
      e.preventDefault();
      await busy(button, out, async () => {
        const issued = await api('POST', team.invite, { email: email.value.trim(), role: role.value });
        out.append(linkBox('Invitation link', issued));
        email.value = '';
        await reload();
      });
    } }, field('E-mail', email), field('Role', role), button),
    out);
}

/** A link shown once, to hand over by a channel the inviter trusts (Herald sends no e-mail). */
function linkBox(label, issued) {
  return h('div', { class: 'alert alert-ok', role: 'status' },
    field(label, h('input', { readonly: true, value: issued.url }),
      `For ${issued.email}. Works once, until ${time(issued.expires_at)}. Herald sends no e-mail: pass it on yourself.`));
}
