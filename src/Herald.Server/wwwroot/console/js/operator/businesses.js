import { api } from '../api.js';
import { h, replace, field, badge, busy, table, card, time, toast } from '../dom.js';

export async function render(main, [id]) {
  if (id) return detail(main, id);
  const list = await api('GET', '/admin/v1/businesses');
  const rows = list.map(b => h('tr', {},
    h('td', {}, h('a', { href: `#/businesses/${encodeURIComponent(b.business_id)}` }, b.name), h('div', { class: 'muted small' }, b.business_id)),
    h('td', {}, b.verified ? badge('verified') : badge('unverified')),
    h('td', {}, b.two_way ? 'two-way' : 'one-way'),
    h('td', {}, b.allowed_ips.length ? b.allowed_ips.join(', ') : h('span', { class: 'muted' }, 'nobody')),
    h('td', {}, b.callback_url ?? h('span', { class: 'muted' }, 'not set'))));
  main.append(
    h('header', { class: 'page-head' }, h('h1', {}, 'Businesses'), h('p', { class: 'muted' }, `${list.length} sender${list.length === 1 ? '' : 's'}`)),
    card(null, table(['Business', 'Status', 'Mode', 'Allowed from', 'Webhook'], rows, 'No businesses yet: create the first one below.')),
    createForm());
}

function createForm() {
  const inputs = {
    business_id: h('input', { placeholder: 'acme (generated when empty)', pattern: '[a-z0-9_\\-]{3,64}' }),
    name: h('input', { required: true, placeholder: 'Acme Parcels' }),
    allowed_ips: h('input', { placeholder: '203.0.113.0/24, 2001:db8::1' }),
  };
  const out = h('div');
  const button = h('button', { type: 'submit', class: 'primary' }, 'Create business');
  return card('New business', h('form', { class: 'grid-form', onsubmit: async e => {
    e.preventDefault();
    await busy(button, out, async () => {
      const created = await api('POST', '/admin/v1/businesses', {
        business_id: inputs.business_id.value.trim() || undefined,
        name: inputs.name.value.trim(),
        allowed_ips: splitList(inputs.allowed_ips.value),
      });
      toast(`Created ${created.name}`);
      location.hash = `#/businesses/${encodeURIComponent(created.business_id)}`;
    });
  } },
  field('Name', inputs.name), field('Business id', inputs.business_id), field('Allowed IPs', inputs.allowed_ips, 'Addresses or CIDR ranges, comma-separated. Empty admits nobody.'),
  h('div', { class: 'actions' }, button), out));
}

const splitList = text => text.split(/[\s,]+/).map(s => s.trim()).filter(Boolean);

async function detail(main, id) {
  const [b, keys] = await Promise.all([
    api('GET', `/admin/v1/businesses/${encodeURIComponent(id)}`),
    api('GET', `/admin/v1/businesses/${encodeURIComponent(id)}/keys`),
  ]);
  main.append(
    h('header', { class: 'page-head' },
      h('a', { href: '#/businesses', class: 'back' }, '← Businesses'),
      h('h1', {}, b.name, ' ', b.verified ? badge('verified') : badge('unverified')),
      h('p', { class: 'muted' }, b.business_id, ' · created ', time(b.created_at))),
    h('div', { class: 'columns' }, profileForm(b), h('div', {}, verifyCard(b), keysCard(b, keys))));
}

function profileForm(b) {
  const inputs = {
    name: h('input', { value: b.name, required: true }),
    logo_url: h('input', { value: b.logo_url ?? '', type: 'url', placeholder: 'https://…/logo.png' }),
    description: h('textarea', { rows: 3 }, b.description ?? ''),
    learn_more_url: h('input', { value: b.learn_more_url ?? '', type: 'url', placeholder: 'https://…' }),
    allowed_ips: h('textarea', { rows: 3 }, b.allowed_ips.join('\n')),
    two_way: h('input', { type: 'checkbox', checked: b.two_way }),
    rate_limit_per_second: h('input', { type: 'number', min: 1, value: b.rate_limit_per_second ?? '', placeholder: 'server default' }),
  };
  const logo = h('img', { class: 'logo-preview', alt: 'Logo preview', src: b.logo_url || null });
  inputs.logo_url.addEventListener('input', () => { logo.src = inputs.logo_url.value.startsWith('https://') ? inputs.logo_url.value : ''; });
  const out = h('div');
  const button = h('button', { type: 'submit', class: 'primary' }, 'Save profile');
  return card('Profile and access', h('form', { class: 'stack-form', onsubmit: async e => {
    e.preventDefault();
    await busy(button, out, async () => {
      const rate = inputs.rate_limit_per_second.value.trim();
      await api('PATCH', `/admin/v1/businesses/${encodeURIComponent(b.business_id)}`, {
        name: inputs.name.value.trim(),
        logo_url: inputs.logo_url.value.trim() || undefined,
        description: inputs.description.value.trim() || undefined,
        learn_more_url: inputs.learn_more_url.value.trim() || undefined,
        allowed_ips: splitList(inputs.allowed_ips.value),
        two_way: inputs.two_way.checked,
        rate_limit_per_second: rate ? Number(rate) : undefined,
      });
      out.append(h('div', { class: 'alert alert-ok', role: 'status' }, 'Saved.'));
    });
  } },
  field('Display name', inputs.name),
  h('div', { class: 'logo-row' }, logo, field('Logo URL', inputs.logo_url)),
  field('Description', inputs.description),
  field('Learn more URL', inputs.learn_more_url),
  field('Allowed IPs', inputs.allowed_ips, 'One address or CIDR range per line. Empty admits nobody.'),
  h('div', { class: 'field check' }, inputs.two_way, h('label', { for: inputs.two_way.id = 'two-way' }, 'Two-way: consumers can reply')),
  field('Rate limit (messages per second)', inputs.rate_limit_per_second),
  h('div', { class: 'actions' }, button), out));
}

function verifyCard(b) {
  const out = h('div');
  const button = h('button', { class: b.verified ? '' : 'primary' }, b.verified ? 'Remove verification' : 'Verify business');
  button.addEventListener('click', () => busy(button, out, async () => {
    await api('PATCH', `/admin/v1/businesses/${encodeURIComponent(b.business_id)}`, { verified: !b.verified });
    toast(b.verified ? 'Verification removed' : 'Verified');
    location.reload();
  }));
  return card('Verification',
    h('p', { class: 'muted' }, b.verified ? 'Consumers see the verified tick next to this sender.' : 'Check who this business is, then verify it: consumers see a tick.'),
    button, out);
}

function keysCard(b, keys) {
  const out = h('div');
  const issued = h('div');
  const issue = h('button', { class: 'primary' }, 'Issue API key');
  issue.addEventListener('click', () => busy(issue, out, async () => {
    const key = await api('POST', `/admin/v1/businesses/${encodeURIComponent(b.business_id)}/keys`);
    const value = h('input', { readonly: true, value: key.api_key, class: 'mono', 'aria-label': 'New API key' });
    replace(issued, h('div', { class: 'alert alert-key', role: 'status' },
      h('strong', {}, 'Copy this key now — it will not be shown again.'),
      h('div', { class: 'copy-row' }, value, h('button', { onclick: async () => { value.select(); await navigator.clipboard?.writeText(key.api_key).catch(() => {}); toast('Copied'); } }, 'Copy')),
      h('div', { class: 'muted small' }, 'Herald keeps only a hash of it.')));
    list.replaceWith(list = keyTable(b, [...keys, { key_id: key.key_id, created_at: key.created_at }], out));
  }));
  let list = keyTable(b, keys, out);
  return card('API keys', h('p', { class: 'muted' }, 'Keys authenticate the business API. Revoking one stops it at once.'), issue, issued, list, out);
}

function keyTable(b, keys, out) {
  return table(['Key id', 'Issued', 'State', ''], keys.map(k => {
    const revoke = h('button', { class: 'danger small' }, 'Revoke');
    revoke.addEventListener('click', () => busy(revoke, out, async () => {
      if (!confirm(`Revoke ${k.key_id}? Requests with it fail at once.`)) return;
      await api('DELETE', `/admin/v1/businesses/${encodeURIComponent(b.business_id)}/keys/${encodeURIComponent(k.key_id)}`);
      replace(revoke.parentElement.previousElementSibling, badge('revoked'));
      revoke.remove();
    }));
    return h('tr', {}, h('td', { class: 'mono small' }, k.key_id), h('td', {}, time(k.created_at)),
      h('td', {}, k.revoked_at ? badge('revoked') : badge('active')), h('td', {}, k.revoked_at ? null : revoke));
  }), 'No keys yet.');
}
