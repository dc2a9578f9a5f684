import { api, session, resumeSession, may } from './api.js';
import { h, replace } from './dom.js';
import { signInPage } from './signin.js';
import { linkPage } from './link.js';
import * as team from './operator/team.js';
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
import * as members from './business/members.js';
import * as keys from './business/keys.js';

// Each role's pages: [hash, nav label, module, capability the page needs (a business's: the scope)]. A module exports
// render(container, params).
const pages = {
  operator: [
    ['businesses', 'Businesses', businesses, 'Read'],
    ['templates', 'Template review', review, 'ReadTemplates'],
    ['policies', 'Country policies', policies, 'Read'],
    ['team', 'Team', team, 'Read'],
    ['audit', 'Audit log', audit, 'Read'],
  ],
  business: [
    ['overview', 'Overview', overview, 'status'],
    ['inbox', 'Inbox', inbox, 'inbox'],
    ['send', 'Send a test', send, 'send'],
    ['templates', 'Templates', ownTemplates, 'templates'],
    ['campaigns', 'Campaigns', campaigns, 'campaigns'],
    ['webhooks', 'Webhook log', webhooks, 'webhook'],
    ['keys', 'API keys', keys, 'keys'],
    ['members', 'Members', members, 'members'],
  ],
};

const root = document.getElementById('root');

async function render() {
  const [route, ...params] = location.hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent);
  if (route === 'link' && params[0]) return linkPage(root, params[0], options => signInPage(root, render, options));
  const who = session.get() ?? await resumeSession();
  if (!who) return signInPage(root, render);
  const list = pages[who.role].filter(([, , , capability]) => !capability || may(capability));
  const page = list.find(([hash]) => hash === route) ?? list[0];
  const main = h('main', { class: 'content' });
  replace(root, h('div', { class: 'shell' },
    h('aside', { class: 'sidebar' },
      h('div', { class: 'brand' }, h('span', { class: 'logo-mark' }, 'H'), 'Herald'),
      h('div', { class: 'who' }, h('span', { class: 'role' }, (who.role === 'operator' ? 'Operator' : 'Business') + (who.person ? ` · ${who.title}` : '')),
        h('span', { class: 'who-name' }, who.name)),
      h('nav', { 'aria-label': 'Console' }, list.map(([hash, label]) =>
        h('a', { href: `#/${hash}`, 'aria-current': hash === page[0] ? 'page' : null }, label))),
      h('div', { class: 'sidebar-foot' },
        h('a', { href: '/docs/', target: '_blank' }, 'API reference'),
        h('button', { class: 'link', onclick: signOut }, 'Sign out'))),
    main));
  page[2].render(main, params).catch(error => {
    if (error.status === 401) { session.clear(); render(); return; }
    if (error.code === 'antiforgery_failed') { session.clear(); render(); return; }
    main.append(h('div', { class: 'alert alert-error', role: 'alert' }, error.title ?? String(error), error.detail ? ` ${error.detail}` : ''));
  });
}

async function signOut() {
  if (session.get()?.person) await api('POST', '/auth/v1/sign-out').catch(() => {});
  session.clear();
  location.hash = '';
  render();
}

window.addEventListener('hashchange', render);
render();
