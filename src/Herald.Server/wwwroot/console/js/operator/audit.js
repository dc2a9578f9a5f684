import { api } from '../api.js';
import { h, table, card, time, field } from '../dom.js';

const PAGE = 50;

export async function render(main) {
  const body = h('div');
  const more = h('button', {}, 'Older entries');
  const filters = { actor: h('input', { placeholder: 'ana@example.com or token:bootstrap' }), action: h('input', { placeholder: 'business.update' }), target: h('input', { placeholder: 'a business id' }) };
  const form = h('form', { class: 'inline-form', role: 'search', 'aria-label': 'Filter the audit log', onsubmit: async e => {
    e.preventDefault();
    entries = [];
    await load();
  } }, field('Actor', filters.actor), field('Action', filters.action), field('Target', filters.target), h('button', { type: 'submit' }, 'Filter'));
  main.append(
    h('header', { class: 'page-head' }, h('h1', {}, 'Audit log'), h('p', { class: 'muted' }, 'Every operator change, newest first, with the person (or named token) who made it.')),
    card(null, form, body, more));
  let entries = [];
  const load = async () => {
    const query = new URLSearchParams({ limit: PAGE });
    if (entries.length) query.set('before', entries[entries.length - 1].seq);
    for (const [name, input] of Object.entries(filters)) if (input.value.trim()) query.set(name, input.value.trim());
    const page = await api('GET', `/admin/v1/audit?${query}`);
    entries = entries.concat(page);
    more.hidden = page.length < PAGE;
    body.replaceChildren(table(['When', 'Action', 'Target', 'Details', 'Actor'], entries.map(e => h('tr', {},
      h('td', { class: 'nowrap' }, time(e.at)), h('td', {}, h('code', {}, e.action)), h('td', {}, e.target),
      h('td', { class: 'details' }, e.details ?? ''), h('td', { class: 'small' }, e.actor))), 'No operator actions match.'));
  };
  more.addEventListener('click', load);
  await load();
}
