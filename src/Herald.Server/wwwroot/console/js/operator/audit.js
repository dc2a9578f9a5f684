import { api } from '../api.js';
import { h, table, card, time } from '../dom.js';

const PAGE = 50;

export async function render(main) {
  const body = h('div');
  const more = h('button', {}, 'Older entries');
  main.append(
    h('header', { class: 'page-head' }, h('h1', {}, 'Audit log'), h('p', { class: 'muted' }, 'Every operator change, newest first, with the acting token’s id.')),
    card(null, body, more));
  let entries = [];
  const load = async () => {
    const before = entries.length ? `&before=${entries[entries.length - 1].seq}` : '';
    const page = await api('GET', `/admin/v1/audit?limit=${PAGE}${before}`);
    entries = entries.concat(page);
    more.hidden = page.length < PAGE;
    body.replaceChildren(table(['When', 'Action', 'Target', 'Details', 'Actor'], entries.map(e => h('tr', {},
      h('td', { class: 'nowrap' }, time(e.at)), h('td', {}, h('code', {}, e.action)), h('td', {}, e.target),
      h('td', { class: 'details' }, e.details ?? ''), h('td', { class: 'mono small' }, e.actor))), 'No operator actions yet.'));
  };
  more.addEventListener('click', load);
  await load();
}
