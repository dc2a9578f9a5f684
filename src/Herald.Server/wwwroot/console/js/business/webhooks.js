import { api } from '../api.js';
import { h, replace, badge, busy, card, time, field, table } from '../dom.js';

export async function render(main) {
  const log = await api('GET', '/v1/webhook/deliveries?limit=100');
  const url = h('input', { type: 'url', required: true, value: log.url ?? '', placeholder: 'https://example.com/herald' });
  const out = h('div');
  const button = h('button', { type: 'submit', class: 'primary' }, 'Save webhook');
  const rows = log.deliveries.map(d => h('tr', { 'data-event': d.event_id },
    h('td', { class: 'nowrap' }, time(d.created_at)),
    h('td', {}, h('code', {}, d.type), h('div', { class: 'mono small muted' }, d.event_id)),
    h('td', { class: 'mono small' }, d.message_id ?? h('span', { class: 'muted', title: 'This event is about no message' }, '—')),
    h('td', {}, badge(d.status), d.sent_at || d.abandoned_at ? h('div', { class: 'small muted nowrap' }, time(d.sent_at ?? d.abandoned_at)) : null),
    h('td', { class: 'num' }, d.attempts),
    h('td', { class: 'nowrap' }, d.status === 'pending' && d.next_attempt_at ? time(d.next_attempt_at) : '—'),
    h('td', { class: 'error-text' }, d.last_error ?? ''),
    h('td', {}, d.status === 'pending' ? null : replayButton(d))));
  const pending = log.deliveries.filter(d => d.status === 'pending').length;
  const tested = h('div');
  main.append(
    h('header', { class: 'page-head' }, h('h1', {}, 'Webhook delivery log'),
      h('p', { class: 'muted' }, 'Every callback event, with its attempts and next retry. Failed POSTs are retried with backoff for 72 hours.')),
    card('Callback URL', h('form', { class: 'stack-form', onsubmit: async e => {
      e.preventDefault();
      await busy(button, out, async () => {
        const set = await api('PUT', '/v1/webhook', { url: url.value.trim() });
        main.querySelector('[data-rotate]').disabled = false; // there is a secret to rotate now
        replace(out, h('div', { class: 'alert alert-key', role: 'status' }, h('strong', {}, 'Saved. Signing secret: '),
          h('code', { class: 'mono' }, set.secret), h('div', { class: 'muted small' }, 'Verify each callback’s webhook-signature (Standard Webhooks) with it. It stays the same when the URL changes.')));
      });
    } }, field('URL', url), h('div', { class: 'actions' }, button), out)),
    card('Signing secret', rotation(log.url)),
    card(`Recent events${pending ? ` · ${pending} pending` : ''}`,
      h('div', { class: 'actions' }, h('button', { class: 'small', onclick: () => { main.replaceChildren(); render(main); } }, 'Refresh'), testButton(log.url, tested)),
      tested,
      table(['When', 'Event', 'Message', 'Delivery', 'Attempts', 'Next retry', 'Last error', ''], rows, 'No events yet: send a message and its fate appears here.')));
}

/**
 * Rotating issues a new secret, shown once. The old one keeps signing too for 24 hours (a second signature in
 * webhook-signature), so receivers switch without missing a callback. Confirmed in the page, not by a dialog.
 */
function rotation(url) {
  const out = h('div');
  const ask = h('button', { type: 'button', 'data-rotate': true }, 'Rotate secret…');
  const confirmButton = h('button', { type: 'button', class: 'danger' }, 'Rotate now');
  const cancel = h('button', { type: 'button' }, 'Cancel');
  const confirmation = h('div', { class: 'alert', role: 'alert', hidden: true },
    h('p', {}, 'A new secret signs every callback from now on. The current one keeps signing too for 24 hours: update your receiver within that time.'),
    h('div', { class: 'actions' }, confirmButton, cancel));
  ask.disabled = !url;
  ask.onclick = () => { confirmation.hidden = false; ask.hidden = true; replace(out); };
  cancel.onclick = () => { confirmation.hidden = true; ask.hidden = false; };
  confirmButton.onclick = () => busy(confirmButton, out, async () => {
    const rotated = await api('POST', '/v1/webhook/secret/rotate', {});
    confirmation.hidden = true;
    ask.hidden = false;
    replace(out, h('div', { class: 'alert alert-key', role: 'status' }, h('strong', {}, 'New signing secret: '),
      h('code', { class: 'mono' }, rotated.secret),
      h('div', { class: 'muted small' }, `Copy it now: this page does not show it again. The previous secret signs too until ${time(rotated.previous_secret_expires_at)}.`)));
  });
  return h('div', {},
    h('p', { class: 'muted' }, url ? 'Callbacks carry webhook-id, webhook-timestamp and webhook-signature (Standard Webhooks).' : 'Set a callback URL first: its answer carries the signing secret.'),
    h('div', { class: 'actions' }, ask), confirmation, out);
}

/** Queues a webhook.test event: it goes the normal signed, retried way and appears in the log below (Refresh). */
function testButton(url, out) {
  const button = h('button', { type: 'button', class: 'small' }, 'Send test event');
  button.disabled = !url;
  button.onclick = () => busy(button, out, async () => {
    const queued = await api('POST', '/v1/webhook/test');
    replace(out, h('div', { class: 'alert', role: 'status' }, 'Test event ', h('code', { class: 'mono' }, queued.event_id),
      ' queued: it is signed and retried like any event. Refresh to see its delivery.'));
  });
  return button;
}

/** Sends a sent or abandoned event again (a new POST, the same event_id); the row shows it pending until it goes. */
function replayButton(d) {
  const button = h('button', { type: 'button', class: 'small', 'aria-label': `Replay ${d.type} event ${d.event_id}` }, 'Replay');
  const out = h('span', { class: 'small', role: 'status' });
  button.onclick = () => busy(button, out, async () => {
    await api('POST', `/v1/webhook/deliveries/${encodeURIComponent(d.event_id)}/replay`);
    replace(out, ' queued');
    button.disabled = true;
  });
  return h('span', { class: 'nowrap' }, button, out);
}
