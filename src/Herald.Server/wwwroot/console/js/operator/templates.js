import { api } from '../api.js';
import { h, replace, badge, busy, card, time, field } from '../dom.js';
import { highlight } from '../preview.js';

const statuses = ['pending', 'approved', 'rejected'];

export async function render(main, [status = 'pending']) {
  const list = await api('GET', `/admin/v1/templates?status=${encodeURIComponent(status)}`);
  main.append(
    h('header', { class: 'page-head' }, h('h1', {}, 'Template review'),
      h('nav', { class: 'tabs', 'aria-label': 'Template status' }, statuses.map(s =>
        h('a', { href: `#/templates/${s}`, 'aria-current': s === status ? 'page' : null }, s)))),
    list.length
      ? h('div', { class: 'queue' }, list.map(t => item(t)))
      : card(null, h('p', { class: 'empty' }, status === 'pending' ? 'The queue is empty: nothing waits for review.' : `No ${status} templates.`)));
}

function item(t) {
  const out = h('div');
  const actions = h('div', { class: 'actions' });
  const el = h('article', { class: 'card template', 'aria-label': `Template ${t.name}` },
    h('div', { class: 'template-head' }, h('h2', {}, t.name), badge(t.status)),
    h('div', { class: 'muted small' }, t.business_id, ' · submitted ', time(t.created_at), t.decided_at ? [' · decided ', time(t.decided_at)] : null),
    h('p', { class: 'template-text' }, highlight(t.text)),
    t.reason ? h('p', {}, h('strong', {}, 'Reason: '), t.reason) : null,
    actions, out);
  if (t.status !== 'pending') return el;
  const approve = h('button', { class: 'primary' }, 'Approve');
  approve.addEventListener('click', () => busy(approve, out, async () => {
    const decided = await api('POST', `/admin/v1/templates/${encodeURIComponent(t.id)}/approve`);
    el.replaceWith(item(decided));
  }));
  const reject = h('button', { class: 'danger' }, 'Reject…');
  reject.addEventListener('click', () => {
    const reason = h('input', { required: true, maxlength: 500, placeholder: 'What to change, so the business can fix it' });
    const confirmReject = h('button', { type: 'submit', class: 'danger' }, 'Reject with this reason');
    replace(actions, h('form', { class: 'reject-form', onsubmit: async e => {
      e.preventDefault();
      await busy(confirmReject, out, async () => {
        const decided = await api('POST', `/admin/v1/templates/${encodeURIComponent(t.id)}/reject`, { reason: reason.value.trim() });
        el.replaceWith(item(decided));
      });
    } }, field('Reason for rejection', reason), confirmReject));
    reason.focus();
  });
  actions.append(approve, reject);
  return el;
}
