import { api } from '../api.js';
import { h, badge, busy, card, time, field, table } from '../dom.js';
import { highlight } from '../preview.js';

export async function render(main) {
  const list = await api('GET', '/v1/templates');
  const name = h('input', { required: true, maxlength: 100, placeholder: 'parcel_shipped' });
  const text = h('textarea', { required: true, rows: 3, maxlength: 1000, placeholder: 'Hi {{name}}, your parcel {{tracking}} is on its way.' });
  const out = h('div');
  const button = h('button', { type: 'submit', class: 'primary' }, 'Submit for review');
  main.append(
    h('header', { class: 'page-head' }, h('h1', {}, 'Templates'),
      h('p', { class: 'muted' }, 'Where the operator requires templates, transactional messages must use an approved one. Placeholders look like {{name}}.')),
    card(null, table(['Name', 'Text', 'Status', 'Submitted'], list.map(t => h('tr', {},
      h('td', {}, t.name, h('div', { class: 'muted small mono' }, t.id)),
      h('td', {}, highlight(t.text)),
      h('td', {}, badge(t.status), t.reason ? h('div', { class: 'small' }, t.reason) : null),
      h('td', {}, time(t.created_at)))), 'No templates yet.')),
    card('Submit a template', h('form', { class: 'stack-form', onsubmit: async e => {
      e.preventDefault();
      await busy(button, out, async () => {
        await api('POST', '/v1/templates', { name: name.value.trim(), text: text.value });
        main.replaceChildren();
        await render(main);
      });
    } }, field('Name', name), field('Text', text), h('div', { class: 'actions' }, button), out)));
}
