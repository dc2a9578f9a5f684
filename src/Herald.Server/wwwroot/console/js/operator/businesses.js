import { api, may } from '../api.js';
import { peopleCards } from '../people.js';
import { ROLES as MEMBER_ROLES } from '../business/members.js';
import { keysCard } from '../keys.js';
import { h, field, badge, busy, table, card, time, toast, confirmAction } from '../dom.js';

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
    allowed_ips: h('textarea', { rows: 2, placeholder: '203.0.113.0/24\n2001:db8::1' }),
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
  field('Name', inputs.name), field('Business id', inputs.business_id), field('Allowed IPs', inputs.allowed_ips, ALLOWED_IPS_HINT),
  h('div', { class: 'actions' }, button), out));
}

// One convention on create and edit: one per line (commas are read too, so a pasted list works).
const ALLOWED_IPS_HINT = 'One address or CIDR range per line. Empty admits nobody.';
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
    h('div', { class: 'columns' }, profileForm(b), h('div', {}, verifyCard(b), keysCard(`/admin/v1/businesses/${encodeURIComponent(b.business_id)}/keys`, keys))),
    ...await peopleCards({
      list: `/admin/v1/businesses/${encodeURIComponent(b.business_id)}/members`,
      invite: `/admin/v1/businesses/${encodeURIComponent(b.business_id)}/members/invitations`,
      person: p => `/admin/v1/businesses/${encodeURIComponent(b.business_id)}/members/${encodeURIComponent(p.account_id)}`,
      roles: MEMBER_ROLES,
      manage: may('ManageBusinesses'),
      reset: true,
      listTitle: 'Members',
      inviteTitle: 'Invite a member',
      empty: 'Nobody yet: invite the business\'s first owner, who then invites the rest.',
    }));
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
  field('Allowed IPs', inputs.allowed_ips, ALLOWED_IPS_HINT),
  h('div', { class: 'field check' }, inputs.two_way, h('label', { for: inputs.two_way.id = 'two-way' }, 'Two-way: consumers can reply')),
  field('Rate limit (messages per second)', inputs.rate_limit_per_second),
  h('div', { class: 'actions' }, button), out));
}

function verifyCard(b) {
  const out = h('div');
  const button = h('button', { class: b.verified ? '' : 'primary' }, b.verified ? 'Remove verification' : 'Verify business');
  button.addEventListener('click', () => busy(button, out, async () => {
    const sure = b.verified
      ? await confirmAction(`Remove verification from ${b.name}?`, 'Every consumer stops seeing the verified tick next to this sender, at once.', 'Remove verification')
      : await confirmAction(`Verify ${b.name}?`, 'Every consumer sees the verified tick next to this sender, at once. Verify only a business whose identity you checked.', 'Verify business');
    if (!sure) return;
    await api('PATCH', `/admin/v1/businesses/${encodeURIComponent(b.business_id)}`, { verified: !b.verified });
    toast(b.verified ? 'Verification removed' : 'Verified');
    location.reload();
  }));
  return card('Verification',
    h('p', { class: 'muted' }, b.verified ? 'Consumers see the verified tick next to this sender.' : 'Check who this business is, then verify it: consumers see a tick.'),
    button, out);
}
