import { api, session } from './api.js';
import { h, replace, field, busy } from './dom.js';
import * as businesses from './operator/businesses.js';
import * as review from './operator/templates.js';
import * as policies from './operator/policies.js';
import * as audit from './operator/audit.js';
import * as overview from './business/overview.js';
import * as send from './business/send.js';
import * as ownTemplates from './business/templates.js';
import * as webhooks from './business/webhooks.js';
import * as inbox from './business/inbox.js';
import * as campaigns from './business/campaigns.js';

// Each role's pages: [hash, nav label, module]. A module exports render(container, params).
const pages = {
  operator: [
    ['businesses', 'Businesses', businesses],
    ['templates', 'Template review', review],
    ['policies', 'Country policies', policies],
    ['audit', 'Audit log', audit],
  ],
  business: [
    ['overview', 'Overview', overview],
    ['inbox', 'Inbox', inbox],
    ['send', 'Send a test', send],
    ['templates', 'Templates', ownTemplates],
    ['campaigns', 'Campaigns', campaigns],
    ['webhooks', 'Webhook log', webhooks],
  ],
};

const root = document.getElementById('root');

function signInPage() {
  const input = h('input', { type: 'password', autocomplete: 'off', placeholder: 'hop_… or hk_…', required: true });
  const out = h('div');
  const button = h('button', { type: 'submit', class: 'primary' }, 'Sign in');
  const form = h('form', { class: 'signin-form', onsubmit: async e => {
    e.preventDefault();
    await busy(button, out, async () => {
      session.set(await identify(input.value.trim()));
      location.hash = '';
      render();
    });
  } },
  field('Operator token or API key', input, 'Operators sign in with their operator token; businesses with an API key. It stays in this tab only.'),
  button, out);
  replace(root, h('main', { class: 'signin' },
    h('div', { class: 'signin-card' },
      h('div', { class: 'brand big' }, h('span', { class: 'logo-mark' }, 'H'), 'Herald Console'),
      h('p', { class: 'muted' }, 'Run businesses, keys, templates and policies — or, as a business, test your messages and watch them land.'),
      form,
      h('p', { class: 'muted small' }, h('a', { href: '/docs/' }, 'API reference')))));
  input.focus();
}

/** Works out which credential this is by asking the API that takes it. */
async function identify(token) {
  if (!token) throw { title: 'Enter a token or key.' };
  const role = token.startsWith('hk_') ? 'business' : 'operator';
  if (role === 'operator') {
    await api('GET', '/admin/v1/businesses', undefined, token);
    return { role, token, name: 'Operator' };
  }
  const profile = await api('GET', '/v1/profile', undefined, token);
  return { role, token, name: profile.name, businessId: profile.business_id };
}

function render() {
  const who = session.get();
  if (!who) return signInPage();
  const [route, ...params] = location.hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent);
  const list = pages[who.role];
  const page = list.find(([hash]) => hash === route) ?? list[0];
  const main = h('main', { class: 'content' });
  replace(root, h('div', { class: 'shell' },
    h('aside', { class: 'sidebar' },
      h('div', { class: 'brand' }, h('span', { class: 'logo-mark' }, 'H'), 'Herald'),
      h('div', { class: 'who' }, h('span', { class: 'role' }, who.role === 'operator' ? 'Operator' : 'Business'), h('span', { class: 'who-name' }, who.name)),
      h('nav', { 'aria-label': 'Console' }, list.map(([hash, label]) =>
        h('a', { href: `#/${hash}`, 'aria-current': hash === page[0] ? 'page' : null }, label))),
      h('div', { class: 'sidebar-foot' },
        h('a', { href: '/docs/', target: '_blank' }, 'API reference'),
        h('button', { class: 'link', onclick: () => { session.clear(); location.hash = ''; render(); } }, 'Sign out'))),
    main));
  page[2].render(main, params).catch(error => {
    if (error.status === 401) { session.clear(); render(); return; }
    main.append(h('div', { class: 'alert alert-error', role: 'alert' }, error.title ?? String(error), error.detail ? ` ${error.detail}` : ''));
  });
}

window.addEventListener('hashchange', render);
render();
