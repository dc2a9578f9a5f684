import { api } from '../api.js';
import { h, replace, badge, busy, card, time, field, table } from '../dom.js';

export async function render(main) {
  const log = await api('GET', '/v1/webhook/deliveries?limit=100');
  const url = h('input', { type: 'url', required: true, value: log.url ?? '', placeholder: 'https://example.com/herald' });
  const out = h('div');
  const button = h('button', { type: 'submit', class: 'primary' }, 'Save webhook');
  const rows = log.deliveries.map(d => h('tr', { 'data-event': d.event_id },
    h('td', { class: 'nowrap' }, time(d.created_at)),
    h('td', {}, h('code', {}, d.type)),
    h('td', { class: 'mono small' }, d.message_id ?? d.event_id),
    h('td', {}, badge(d.status)),
    h('td', { class: 'num' }, d.attempts),
    h('td', { class: 'nowrap' }, d.next_attempt_at ? time(d.next_attempt_at) : d.sent_at ? `sent ${time(d.sent_at)}` : d.abandoned_at ? `gave up ${time(d.abandoned_at)}` : '—'),
    h('td', { class: 'error-text' }, d.last_error ?? '')));
  const pending = log.deliveries.filter(d => d.status === 'pending').length;
  main.append(
    h('header', { class: 'page-head' }, h('h1', {}, 'Webhook delivery log'),
      h('p', { class: 'muted' }, 'Every callback event, with its attempts and next retry. Failed POSTs are retried with backoff for 72 hours.')),
    card('Callback URL', h('form', { class: 'grid-form', onsubmit: async e => {
      e.preventDefault();
      await busy(button, out, async () => {
        const set = await api('PUT', '/v1/webhook', { url: url.value.trim() });
        replace(out, h('div', { class: 'alert alert-key', role: 'status' }, h('strong', {}, 'Saved. Signing secret: '),
          h('code', { class: 'mono' }, set.secret), h('div', { class: 'muted small' }, 'Verify each callback’s Herald-Signature with it. It stays the same when the URL changes.')));
      });
    } }, field('URL', url), h('div', { class: 'actions' }, button), out)),
    card(`Recent events${pending ? ` · ${pending} pending` : ''}`,
      h('div', { class: 'actions' }, h('button', { class: 'small', onclick: () => { main.replaceChildren(); render(main); } }, 'Refresh')),
      table(['When', 'Event', 'Message', 'Delivery', 'Attempts', 'Next retry', 'Last error'], rows, 'No events yet: send a message and its fate appears here.')));
}
