// The interactive API reference: renders /openapi/v1.json and lets you try each call against this server.
import { h, replace, field } from '/console/js/dom.js';

const TOKEN = 'herald.docs.credential';
const EXAMPLES = {
  // Promotional: a country policy may require templates for transactional messages (then free text is refused with
  // template_required), never for promotional ones, so this example works on any installation.
  sendMessage: { to: '+447700900123', category: 'promotional', text: 'Autumn sale: 20% off everything until Sunday', url: 'https://acme.example/sale', tracking_data: 'autumn-sale' },
  sendBatch: { messages: [{ to: '+447700900123', category: 'transactional', text: 'One' }, { to: '+447700900124', category: 'promotional', text: 'Two', button: { caption: 'Shop', action: 'https://acme.example/sale' } }] },
  submitTemplate: { name: 'parcel_shipped', text: 'Hi {{name}}, your parcel is on its way' },
  setWebhook: { url: 'https://example.com/herald' },
  createBusiness: { business_id: 'acme', name: 'Acme Parcels', verified: true, allowed_ips: ['127.0.0.1', '::1'], learn_more_url: 'https://acme.example/about' },
  updateBusiness: { verified: true },
  rejectTemplate: { reason: 'Say who you are in the first sentence' },
  setPolicy: { transactional_requires_template: true },
  requestCode: { phone: '+447700900123' },
  signIn: { phone: '+447700900123', code: '123456' },
  saveSettings: { promotional: false },
  restrictMe: { restricted: true },
};

const root = document.getElementById('root');
const spec = await (await fetch('/openapi/v1.json')).json();
const schemas = spec.components.schemas;
// A nullable record is oneOf [null, the record]: show the record.
const nonNull = s => (s?.oneOf && !s.properties ? s.oneOf.find(o => o.type !== 'null') ?? s : s);
const resolve = s => { s = nonNull(s); return s?.$ref ? schemas[s.$ref.split('/').pop()] : s; };
const typeOf = s => {
  s = resolve(s) ?? {};
  const types = [].concat(s.type ?? 'any').filter(t => t !== 'null');
  if (types[0] === 'array') return `array of ${typeOf(s.items)}`;
  if (s.oneOf) return s.oneOf.map(o => Object.keys(resolve(o)?.properties ?? {}).join(', ') || typeOf(o)).join(' or ');
  if (s.enum) return s.enum.filter(v => v !== null).map(v => JSON.stringify(v)).join(' | ');
  return (s.format ? `${types.join(' | ')} (${s.format})` : types.join(' | '));
};

/** The document's descriptions are CommonMark; the inline code spans (`…`) are what they use, shown as code. */
const markdown = text => (text ?? '').split(/(`[^`]+`)/).map(part => (part.startsWith('`') && part.endsWith('`') && part.length > 1 ? h('code', {}, part.slice(1, -1)) : part));

function schemaTable(schema) {
  schema = resolve(schema);
  if (schema?.type === 'array' || schema?.type?.[0] === 'array') return h('div', { class: 'schema' }, 'An array of:', schemaTable(schema.items));
  if (!schema?.properties) return h('span', { class: 'muted' }, typeOf(schema));
  const required = new Set(schema.required ?? []);
  return h('table', { class: 'schema' }, h('tbody', {}, Object.entries(schema.properties).map(([name, prop]) => {
    const inner = resolve(prop);
    const nested = inner?.properties || (inner?.items && resolve(inner.items)?.properties) ? h('div', { class: 'nested' }, schemaTable(inner)) : null;
    return h('tr', {}, h('td', { class: 'name' }, name, required.has(name) ? h('span', { class: 'req' }, 'required') : null),
      h('td', {}, typeOf(prop), nested));
  })));
}

function operation(path, method, op) {
  const params = op.parameters ?? [];
  const inputs = Object.fromEntries(params.map(p => [p.name, h('input', { placeholder: p.in === 'path' ? 'required' : p.description ?? '' })]));
  const schema = op.requestBody?.content['application/json']?.schema;
  const body = schema ? h('textarea', { rows: 6, 'aria-label': `Body of ${op.operationId}` }, JSON.stringify(EXAMPLES[op.operationId] ?? {}, null, 2)) : null;
  const answer = h('div', { 'aria-live': 'polite' });
  const send = h('button', { type: 'submit', class: 'primary' }, 'Send request');
  const websocket = op.operationId === 'deviceSocket';
  const form = h('form', { class: 'try', onsubmit: async e => {
    e.preventDefault();
    send.disabled = true;
    try {
      let url = path.replace(/\{(\w+)\}/g, (_, name) => encodeURIComponent(inputs[name].value));
      const query = params.filter(p => p.in === 'query' && inputs[p.name].value).map(p => `${p.name}=${encodeURIComponent(inputs[p.name].value)}`);
      if (query.length) url += `?${query.join('&')}`;
      const headers = { Accept: 'application/json' };
      const token = sessionStorage.getItem(TOKEN);
      if (token && op.security?.length) headers.Authorization = `Bearer ${token}`;
      for (const p of params.filter(p => p.in === 'header' && inputs[p.name].value)) headers[p.name] = inputs[p.name].value;
      if (body) headers['Content-Type'] = 'application/json';
      const response = await fetch(url, { method: method.toUpperCase(), headers, body: body ? body.value : undefined });
      const text = await response.text();
      let shown = text;
      try { shown = JSON.stringify(JSON.parse(text), null, 2); } catch { /* not JSON */ }
      replace(answer, h('div', { class: `answer-status ${response.ok ? 'ok' : 'bad'}` }, `${response.status} ${response.statusText}`),
        shown ? h('pre', { class: 'answer' }, shown) : null);
    } catch (error) {
      replace(answer, h('div', { class: 'answer-status bad' }, String(error)));
    } finally {
      send.disabled = false;
    }
  } },
  h('h3', {}, 'Try it'),
  params.map(p => field(`${p.name} (${p.in})`, inputs[p.name])),
  body ? field('Body', body) : null,
  websocket ? h('p', { class: 'muted' }, 'A WebSocket: connect with a WebSocket client (see docs/protocol.md).') : h('div', { class: 'actions' }, send),
  answer);

  const auth = op.security?.length ? Object.keys(op.security[0])[0] : null;
  return h('section', { class: 'card op', id: op.operationId, 'aria-label': op.summary },
    h('div', { class: 'op-head' }, h('span', { class: `method method-${method}` }, method.toUpperCase()), h('span', { class: 'op-path' }, path),
      auth ? h('span', { class: 'auth' }, { businessApiKey: 'API key', operatorToken: 'operator token', deviceToken: 'device token' }[auth]) : null),
    h('h2', {}, op.summary),
    op.description ? h('p', {}, markdown(op.description)) : null,
    schema ? [h('h3', {}, 'Request body'), schemaTable(schema)] : null,
    h('h3', {}, 'Responses'),
    h('ul', { class: 'responses' }, Object.entries(op.responses).map(([status, r]) => h('li', {},
      h('strong', {}, status), ' ', markdown(r.description),
      r.content?.['application/json'] ? h('details', {}, h('summary', {}, 'Fields'), schemaTable(r.content['application/json'].schema)) : null))),
    form);
}

const byTag = new Map(spec.tags.map(t => [t.name, []]));
for (const [path, methods] of Object.entries(spec.paths))
  for (const [method, op] of Object.entries(methods)) byTag.get(op.tags[0]).push([path, method, op]);

const credential = h('input', { type: 'password', autocomplete: 'off', placeholder: 'hk_… / hop_… / hdt_…', value: sessionStorage.getItem(TOKEN) ?? '' });
credential.addEventListener('input', () => sessionStorage.setItem(TOKEN, credential.value.trim()));

replace(root, h('div', { class: 'docs' },
  h('aside', { class: 'sidebar' },
    h('div', { class: 'brand' }, h('span', { class: 'logo-mark' }, 'H'), 'Herald API'),
    h('nav', { 'aria-label': 'Operations' }, [...byTag].map(([tag, ops]) => [
      h('h3', {}, tag),
      ops.map(([path, method, op]) => h('a', { href: `#${op.operationId}` }, h('span', { class: `method method-${method}` }, method.toUpperCase()), op.summary)),
    ])),
    h('div', { class: 'sidebar-foot' }, h('a', { href: '/openapi/v1.json' }, 'openapi/v1.json'), h('a', { href: '/console/' }, 'Console'))),
  h('main', { class: 'content' },
    h('header', { class: 'page-head' }, h('h1', {}, spec.info.title, ' API reference'), h('p', { class: 'muted' }, markdown(spec.info.description))),
    h('section', { class: 'card' }, h('form', { class: 'credential', onsubmit: e => e.preventDefault() },
      field('Credential for "Try it"', credential, 'An API key, an operator token or a device token; sent as Authorization: Bearer. Kept in this tab only.'))),
    [...byTag].map(([tag, ops]) => [
      h('h2', { class: 'tag' }, tag), h('p', { class: 'muted' }, markdown(spec.tags.find(t => t.name === tag).description)),
      ops.map(([path, method, op]) => operation(path, method, op)),
    ]))));
if (location.hash) document.getElementById(location.hash.slice(1))?.scrollIntoView();
