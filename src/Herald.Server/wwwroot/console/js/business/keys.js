import { api, may } from '../api.js';
import { h } from '../dom.js';
import { keysCard } from '../keys.js';

export async function render(main) {
  const keys = await api('GET', '/v1/keys');
  main.append(h('header', { class: 'page-head' }, h('h1', {}, 'API keys'), h('p', { class: 'muted' }, 'The keys your servers call Herald with.')),
    keysCard('/v1/keys', keys, { manage: may('keys', { write: true }) }));
}
