import { api, session, ApiError } from '../api.js';
import { h, badge, busy, card, time, field, table, problemBox, confirmAction } from '../dom.js';

// Campaigns: create one, upload its audience (CSV, sent as the file streams from disk), start, pause, resume, cancel,
// watch its progress, and download the per-recipient export. Everything goes through /v1/campaigns.

/** Sends a file or fetches a CSV with the session's key (api() speaks JSON only). */
async function raw(method, path, body) {
  const headers = { Authorization: `Bearer ${session.get()?.token}` };
  if (body) headers['Content-Type'] = 'text/csv';
  const response = await fetch(path, { method, headers, body });
  if (!response.ok) throw new ApiError(response.status, await response.json().catch(() => ({})));
  return response;
}

export async function render(main, [id]) {
  if (id) return renderOne(main, id);
  const list = await api('GET', '/v1/campaigns');
  const name = h('input', { required: true, maxlength: 200, placeholder: 'Winter sale' });
  const category = h('select', {}, h('option', { value: 'promotional' }, 'promotional'), h('option', { value: 'transactional' }, 'transactional'));
  const text = h('textarea', { rows: 3, maxlength: 1000, placeholder: '20% off everything until Sunday' });
  const template = h('input', { placeholder: 'tpl_… (instead of text; params come from the CSV columns)' });
  const rate = h('input', { type: 'number', min: 1, placeholder: 'default: your rate limit' });
  const out = h('div');
  const button = h('button', { type: 'submit', class: 'primary' }, 'Create draft');
  main.append(
    h('header', { class: 'page-head' }, h('h1', {}, 'Campaigns'),
      h('p', { class: 'muted' }, 'One message to an uploaded audience, at the rate you choose. Each recipient gets exactly one message, even across restarts.')),
    card(null, table(['Name', 'State', 'Recipients', 'Created'], list.map(c => h('tr', {},
      h('td', {}, h('a', { href: `#/campaigns/${encodeURIComponent(c.id)}` }, c.name), h('div', { class: 'muted small mono' }, c.id)),
      h('td', {}, badge(c.state)),
      h('td', {}, String(c.recipients), c.bad_rows ? h('div', { class: 'small muted' }, `${c.bad_rows} bad lines`) : null),
      h('td', {}, time(c.created_at)))), 'No campaigns yet.')),
    card('New campaign', h('form', { class: 'stack-form', onsubmit: async e => {
      e.preventDefault();
      await busy(button, out, async () => {
        const message = { category: category.value };
        if (template.value.trim()) message.template = { id: template.value.trim() }; else message.text = text.value;
        const created = await api('POST', '/v1/campaigns', { name: name.value.trim(), message, rate_per_second: rate.value ? Number(rate.value) : undefined });
        location.hash = `#/campaigns/${encodeURIComponent(created.id)}`;
      });
    } }, field('Name', name), field('Category', category), field('Text', text), field('Or an approved template', template),
      field('Rate (messages a second)', rate), h('div', { class: 'actions' }, button), out)));
}

// Each render of a campaign takes a number; a slower earlier one (the auto-refresh racing a click) is dropped.
let renders = 0;

async function renderOne(main, id) {
  const mine = ++renders;
  const c = await api('GET', `/v1/campaigns/${encodeURIComponent(id)}`);
  if (mine !== renders) return;
  const out = h('div');
  const refresh = () => renderOne(main, id);
  // Starting messages consumers and cancelling cannot be undone: both ask first, in the page.
  const asks = {
    start: [`Start ${c.name}?`, `${c.recipients} consumers get this message, starting now.`, 'Start campaign'],
    cancel: [`Cancel ${c.name}?`, 'Recipients not yet messaged never are. A cancelled campaign cannot be resumed.', 'Cancel campaign'],
  };
  const act = (label, action, body) => {
    const b = h('button', { type: 'button', class: action === 'cancel' ? 'danger' : 'primary' }, label);
    b.onclick = () => busy(b, out, async () => {
      if (asks[action] && !await confirmAction(...asks[action])) return;
      await api('POST', `/v1/campaigns/${encodeURIComponent(id)}/${action}`, body);
      await refresh();
    });
    return b;
  };
  const actions = [];
  if (c.state === 'draft' && c.recipients > 0) actions.push(act('Start now', 'start'));
  if (c.state === 'running' || c.state === 'scheduled') actions.push(act('Pause', 'pause'));
  if (c.state === 'paused') actions.push(act('Resume', 'resume'));
  if (c.state !== 'completed' && c.state !== 'cancelled') actions.push(act('Cancel', 'cancel'));

  const file = h('input', { type: 'file', accept: '.csv,text/csv' });
  const uploadOut = h('div');
  const upload = h('button', { type: 'submit', class: 'primary' }, 'Upload audience');
  const uploadForm = h('form', { class: 'stack-form', onsubmit: async e => {
    e.preventDefault();
    if (!file.files[0]) return;
    await busy(upload, uploadOut, async () => {
      const report = await (await raw('PUT', `/v1/campaigns/${encodeURIComponent(id)}/audience`, file.files[0])).json();
      await renderOne(main, id);
      main.querySelector('.upload-report')?.append(h('p', {}, `${report.recipients} recipients kept, ${report.bad_rows} bad lines.`),
        table(['Line', 'Reason'], report.errors.map(x => h('tr', {}, h('td', {}, String(x.line)), h('td', {}, x.reason))), ''));
    });
  } }, field('CSV file', file, 'A header row naming phone (and, for a template, one column per placeholder); up to 1,000,000 lines.'),
    h('div', { class: 'actions' }, upload), uploadOut);

  const download = h('button', { type: 'button' }, 'Download recipients.csv');
  download.onclick = () => busy(download, out, async () => {
    const blob = await (await raw('GET', `/v1/campaigns/${encodeURIComponent(id)}/recipients.csv`)).blob();
    const a = h('a', { href: URL.createObjectURL(blob), download: `${id}-recipients.csv` });
    a.click();
    URL.revokeObjectURL(a.href);
  });

  const p = c.progress, f = c.funnel;
  const counts = (o) => Object.entries(o).map(([k, v]) => `${k} ${v}`).join(', ') || '—';
  main.replaceChildren(...[
    h('header', { class: 'page-head' }, h('h1', {}, c.name, ' ', badge(c.state)),
      h('p', { class: 'muted mono small' }, c.id, ` · ${c.category} · ${c.rate_per_second}/s`, c.template_id ? ` · ${c.template_id}` : '')),
    card('Progress', table(['Queued', 'Accepted', 'Refused', 'Cancelled', 'Refused by code'], [h('tr', { class: 'campaign-progress' },
      h('td', {}, String(p.queued)), h('td', {}, String(p.accepted)), h('td', {}, String(p.refused)), h('td', {}, String(p.cancelled)),
      h('td', {}, counts(p.refused_by_code)))]),
      h('div', { class: 'actions' }, actions, h('button', { type: 'button', onclick: refresh }, 'Refresh'), download), out),
    card('Funnel', table(['Waiting', 'Delivered', 'Seen', 'Expired', 'Failed', 'Failed by reason'], [h('tr', {},
      h('td', {}, String(f.waiting)), h('td', {}, String(f.delivered)), h('td', {}, String(f.seen)), h('td', {}, String(f.expired)),
      h('td', {}, String(f.failed)), h('td', {}, counts(f.failed_by_reason)))])),
    c.state === 'draft' ? card('Audience', h('p', {}, `${c.recipients} recipients, ${c.bad_rows} bad lines in the last upload.`), uploadForm, h('div', { class: 'upload-report' })) : null,
  ].filter(Boolean));
  if (c.state === 'running')
    setTimeout(() => { if (mine === renders && main.isConnected) refresh().catch(e => main.append(problemBox(e))); }, 2000);
}
