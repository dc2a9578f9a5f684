import { api, session } from '../api.js';
import { h, replace, field, busy, card, time } from '../dom.js';
import { addReplies, addSent, conversations, thread, markRead } from './conversations.js';

const SESSION_HOURS = 24;
let current = null; // the open page's stream; a new render (or leaving the page) stops it

export async function render(main, [phone] = []) {
  current?.abort();
  const stop = new AbortController();
  current = stop;
  window.addEventListener('hashchange', () => stop.abort(), { once: true });

  const who = session.get();
  const settings = await api('GET', '/v1/inbox');
  const destinations = h('select', { 'aria-label': 'Replies go to' },
    ['webhook', 'inbox', 'both'].map(v => h('option', { value: v, selected: v === settings.replies_to ? true : null },
      { webhook: 'Your webhook only', inbox: 'This inbox only', both: 'Your webhook and this inbox' }[v])));
  const saved = h('span', { class: 'muted small', role: 'status' });
  destinations.addEventListener('change', () => busy(destinations, saved, async () => {
    await api('PUT', '/v1/inbox', { replies_to: destinations.value });
    replace(saved, 'Saved.');
  }));

  const list = h('nav', { class: 'inbox-list', 'aria-label': 'Conversations' });
  const pane = h('section', { class: 'inbox-thread', 'aria-live': 'polite' });
  const live = h('span', { class: 'muted small' }, 'Connecting…');

  const refresh = async () => {
    if (phone) await markRead(who.businessId, phone); // the open conversation is read
    const all = await conversations(who.businessId);
    replace(list, all.length ? all.map(c => h('a', {
      href: `#/inbox/${encodeURIComponent(c.phone)}`, class: 'inbox-row', 'aria-current': c.phone === phone ? 'true' : null,
    }, h('span', { class: 'inbox-phone' }, c.phone), c.unread ? h('span', { class: 'badge badge-pending', 'aria-label': `${c.unread} unread` }, String(c.unread)) : null,
    h('span', { class: 'inbox-last muted small' }, c.last.incoming ? '' : 'You: ', c.last.text))) : h('p', { class: 'muted' }, 'No replies yet.'));
    if (phone) {
      await showThread(pane, who.businessId, phone, all.find(c => c.phone === phone), refresh);
    } else {
      replace(pane, h('p', { class: 'muted' }, 'Choose a conversation.'));
    }
  };

  main.append(
    h('header', { class: 'page-head' }, h('h1', {}, 'Inbox'),
      h('p', { class: 'muted' }, 'Replies from your customers. Herald keeps a reply only until this browser has it; the history stays in this browser.')),
    card(null, h('div', { class: 'pair' }, field('Replies go to', destinations, settings.replies_to === 'webhook'
      ? 'Choose the inbox (or both) to see replies here.' : 'Each destination gets every reply once.'), h('div', {}, live, ' ', saved))),
    h('div', { class: 'inbox' }, list, pane));
  await refresh();
  follow(who, stop.signal, live, refresh);
}

async function showThread(pane, businessId, phone, conversation, refresh) {
  const entries = await thread(businessId, phone);
  const open = conversation?.lastReplyAt && Date.now() - Date.parse(conversation.lastReplyAt) < SESSION_HOURS * 3600_000;
  const text = h('textarea', { rows: 3, maxlength: 1000, required: true, 'aria-label': 'Answer' });
  const out = h('div');
  const send = h('button', { type: 'submit', class: 'primary' }, 'Send answer');
  const form = h('form', { class: 'stack-form inbox-answer', onsubmit: async e => {
    e.preventDefault();
    await busy(send, out, async () => {
      const answer = { to: phone, category: 'session', text: text.value };
      const sent = await api('POST', '/v1/messages', answer);
      await addSent(businessId, { ...answer, message_id: sent.message_id });
      text.value = '';
      await refresh();
    });
  } }, text, h('div', { class: 'actions' }, send), out);
  replace(pane,
    h('h2', {}, phone),
    h('ol', { class: 'inbox-entries' }, entries.map(e => h('li', { class: e.incoming ? 'incoming' : 'outgoing' },
      h('span', { class: 'inbox-text' }, e.text), h('span', { class: 'muted small' }, e.incoming ? '' : 'You · ', time(e.at))))),
    open ? h('p', { class: 'muted small' }, `Session open: answer freely until ${new Date(Date.parse(conversation.lastReplyAt) + SESSION_HOURS * 3600_000).toLocaleString()}.`)
      : h('p', { class: 'muted small' }, 'No session open: the customer last wrote more than 24 hours ago, so answers need a template (Send a test).'),
    form);
}

/** Reads the inbox's server-sent events (fetch, not EventSource, so the key goes in a header), stores and takes each reply. */
async function follow(who, signal, live, refresh) {
  let after = 0;
  while (!signal.aborted) {
    try {
      const response = await fetch(`/v1/inbox/stream?after=${after}`, { headers: { Authorization: `Bearer ${who.token}`, Accept: 'text/event-stream' }, signal });
      if (!response.ok) throw new Error(`The inbox stream answered ${response.status}.`);
      replace(live, 'Live.');
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const event = parse(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
          if (event.type !== 'reply') continue;
          const reply = JSON.parse(event.data);
          await addReplies(who.businessId, [reply]);
          await api('POST', '/v1/inbox/replies/ack', { reply_ids: [reply.reply_id] });
          after = Number(event.id ?? after);
          await refresh();
        }
      }
    } catch {
      if (signal.aborted) return;
    }
    replace(live, 'Reconnecting…');
    await new Promise(resolve => setTimeout(resolve, 2000));
  }
}

function parse(block) {
  const event = { type: 'message', data: '' };
  for (const line of block.split('\n')) {
    const colon = line.indexOf(':');
    const name = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (name === 'event') event.type = value;
    else if (name === 'data') event.data += (event.data ? '\n' : '') + value;
    else if (name === 'id') event.id = value;
  }
  return event;
}
