import { api, session } from '../api.js';
import { addSent } from './conversations.js';
import { h, replace, field, busy, card, badge, time } from '../dom.js';
import { phone, renderTemplate } from '../preview.js';

export async function render(main) {
  const [profile, templates] = await Promise.all([api('GET', '/v1/profile'), api('GET', '/v1/templates')]);
  const approved = templates.filter(t => t.status === 'approved');
  const f = {
    to: h('input', { required: true, placeholder: '+447700900123', autocomplete: 'off' }),
    category: h('select', {}, h('option', { value: 'transactional' }, 'Transactional'), h('option', { value: 'promotional' }, 'Promotional'), h('option', { value: 'session' }, 'Session answer')),
    template: h('select', {}, h('option', { value: '' }, 'No template: write the text'), approved.map(t => h('option', { value: t.id }, t.name))),
    text: h('textarea', { rows: 4, maxlength: 1000, placeholder: 'Your parcel arrives today between 2 and 4 pm' }),
    url: h('input', { type: 'url', placeholder: 'https://…' }),
    image_url: h('input', { type: 'url', placeholder: 'https://…/image.jpg' }),
    caption: h('input', { maxlength: 30, placeholder: 'Shop now' }),
    action: h('input', { placeholder: 'https://… or app://…' }),
    qr: h('input', { placeholder: 'TICKET-42' }),
    ttl: h('input', { type: 'number', min: 30, max: 1209600, placeholder: '86400' }),
  };
  const params = h('div', { class: 'params' });
  const promoOnly = h('fieldset', { class: 'promo-only' }, h('legend', {}, 'Promotional content'),
    field('Image URL', f.image_url), h('div', { class: 'pair' }, field('Button caption', f.caption), field('Button action', f.action)), field('QR code payload', f.qr));
  const textField = field('Text', f.text, 'Up to 1000 characters.');
  const preview = h('div', { class: 'preview' });
  const out = h('div');
  const button = h('button', { type: 'submit', class: 'primary' }, 'Send test message');

  const chosen = () => approved.find(t => t.id === f.template.value);
  const paramValues = () => Object.fromEntries([...params.querySelectorAll('input')].map(i => [i.name, i.value]));
  const message = () => {
    const template = chosen();
    const promotional = f.category.value !== 'transactional'; // a session answer may carry what a promotional message may
    return {
      to: f.to.value.trim(),
      category: f.category.value,
      text: template ? undefined : f.text.value || undefined,
      template: template ? { id: template.id, params: paramValues() } : undefined,
      url: f.url.value.trim() || undefined,
      image_url: promotional ? f.image_url.value.trim() || undefined : undefined,
      button: promotional && f.caption.value.trim() ? { caption: f.caption.value.trim(), action: f.action.value.trim() } : undefined,
      qr: promotional ? f.qr.value || undefined : undefined,
      ttl_seconds: f.ttl.value ? Number(f.ttl.value) : undefined,
    };
  };
  const update = () => {
    const template = chosen();
    promoOnly.hidden = f.category.value === 'transactional';
    textField.hidden = !!template;
    const m = message();
    replace(preview, phone(profile, { ...m, text: template ? renderTemplate(template.text, paramValues()) : m.text }));
  };
  f.template.addEventListener('change', () => {
    const template = chosen();
    replace(params, template ? template.params.map(p => field(`{{${p}}}`, h('input', { name: p, required: true }))) : []);
    update();
  });

  const form = h('form', { class: 'stack-form', oninput: update, onchange: update, onsubmit: async e => {
    e.preventDefault();
    await busy(button, out, async () => {
      const m = message();
      const sent = await api('POST', '/v1/messages', m);
      await addSent(session.get().businessId, { message_id: sent.message_id, to: m.to, text: m.text, category: m.category });
      out.append(result(sent.message_id));
    });
  } },
  h('div', { class: 'pair' }, field('To', f.to, 'E.164, with the country code.'), field('Category', f.category)),
  field('Template', f.template, approved.length ? 'Approved templates only.' : 'No approved templates yet.'),
  params, textField, field('Link', f.url), promoOnly, field('Time to live (seconds)', f.ttl, '30 to 1209600; default one day.'),
  h('div', { class: 'actions' }, button), out);

  main.append(
    h('header', { class: 'page-head' }, h('h1', {}, 'Send a test message'), h('p', { class: 'muted' }, 'A real send through the business API: it reaches the consumer and counts in your funnel.')),
    h('div', { class: 'columns send' }, card(null, form), h('div', {}, h('h2', { class: 'preview-title' }, 'Live preview'), preview)));
  update();
}

function result(id) {
  const status = h('span', {}, badge('accepted'));
  const details = h('div', { class: 'muted small' });
  const refresh = h('button', { type: 'button', class: 'small' }, 'Check status');
  refresh.addEventListener('click', () => busy(refresh, null, async () => {
    const s = await api('GET', `/v1/messages/${encodeURIComponent(id)}`);
    replace(status, badge(s.status), s.reason ? ` ${s.reason}` : '');
    replace(details, 'accepted ', time(s.accepted_at), s.delivered_at ? [' · delivered ', time(s.delivered_at)] : null, s.seen_at ? [' · seen ', time(s.seen_at)] : null);
  }));
  return h('div', { class: 'alert alert-ok', role: 'status' }, 'Accepted ', h('code', { class: 'message-id' }, id), ' ', status, ' ', refresh, details);
}
