import { api } from '../api.js';
import { h, busy, table, card, time, field, toast } from '../dom.js';

export async function render(main) {
  const list = await api('GET', '/admin/v1/policies');
  const rows = list.map(p => h('tr', {},
    h('td', {}, '+', p.calling_code),
    h('td', {}, p.transactional_requires_template ? 'Approved template required' : 'Free text allowed'),
    h('td', {}, time(p.updated_at))));
  const code = h('input', { required: true, pattern: '[1-9][0-9]{0,2}', placeholder: '44', inputmode: 'numeric' });
  const required = h('select', {}, h('option', { value: 'true' }, 'Require an approved template'), h('option', { value: 'false' }, 'Allow free text'));
  const out = h('div');
  const button = h('button', { type: 'submit', class: 'primary' }, 'Save policy');
  main.append(
    h('header', { class: 'page-head' }, h('h1', {}, 'Country policies'),
      h('p', { class: 'muted' }, 'Per country calling code: whether transactional messages must use an approved template. The longest matching code wins.')),
    card(null, table(['Calling code', 'Transactional messages', 'Updated'], rows, 'No policies: every country allows free text.')),
    card('Set a policy', h('form', { class: 'grid-form', onsubmit: async e => {
      e.preventDefault();
      await busy(button, out, async () => {
        await api('PUT', `/admin/v1/policies/${encodeURIComponent(code.value.trim().replace(/^\+/, ''))}`, { transactional_requires_template: required.value === 'true' });
        toast('Policy saved');
        main.replaceChildren();
        await render(main);
      });
    } }, field('Calling code', code, 'Digits only: 44, 1, 380'), field('Transactional messages', required), h('div', { class: 'actions' }, button), out)));
}
