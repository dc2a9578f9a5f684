import { api, session, personSession } from './api.js';
import { h, replace, field, busy } from './dom.js';

// Plain words for what can go wrong at sign-in: never a header name or an error code.
function plain(error) {
  if (error.status === 0) return error;
  if (error.code === 'unauthorized') return { title: 'That token or key is not valid.', detail: 'Check it and try again, or ask your operator for a new one.' };
  if (error.code === 'invalid_request') return { title: 'Enter your e-mail and password.' };
  return { title: error.title ?? 'Sign-in did not work.', detail: error.detail };
}

function failure(out, error) {
  const e = plain(error);
  out.replaceChildren(h('div', { class: 'alert alert-error', role: 'alert' }, h('strong', {}, e.title), e.detail ? h('div', {}, e.detail) : null));
}

/** The sign-in page: a person with e-mail, password and authenticator code; or a token / API key for automation and businesses. */
export function signInPage(root, done, { email = '', notice = null } = {}) {
  const emailInput = h('input', { type: 'email', autocomplete: 'username', required: true, value: email });
  const password = h('input', { type: 'password', autocomplete: 'current-password', required: true });
  const code = h('input', { inputmode: 'numeric', autocomplete: 'one-time-code', pattern: '[0-9]{6}', maxlength: 6 });
  const codeField = field('6-digit code from your authenticator app', code);
  codeField.hidden = true;
  const out = h('div', { 'aria-live': 'polite' });
  const button = h('button', { type: 'submit', class: 'primary' }, 'Sign in');
  const form = h('form', { class: 'signin-form', onsubmit: async e => {
    e.preventDefault();
    await busy(button, null, async () => {
      try {
        const me = await api('POST', '/auth/v1/sign-in', { email: emailInput.value.trim(), password: password.value, code: code.value.trim() || undefined });
        personSession(me);
        location.hash = '';
        done();
      } catch (error) {
        if (error.code === 'code_required' || error.code === 'code_invalid') {
          codeField.hidden = false;
          if (error.code === 'code_invalid') code.value = '';
          code.focus();
        }
        failure(out, error);
      }
    });
  } },
  field('E-mail', emailInput), field('Password', password), codeField, button, out);

  const token = h('input', { type: 'password', autocomplete: 'off', placeholder: 'hop_… or hk_…', required: true });
  const tokenOut = h('div', { 'aria-live': 'polite' });
  const tokenButton = h('button', { type: 'submit' }, 'Sign in with a token');
  const tokenForm = h('form', { class: 'signin-form', onsubmit: async e => {
    e.preventDefault();
    await busy(tokenButton, null, async () => {
      try {
        session.set(await identify(token.value.trim()));
        location.hash = '';
        done();
      } catch (error) {
        failure(tokenOut, error);
      }
    });
  } },
  field('Operator token or API key', token, 'For automation, or for a business with its API key. It stays in this tab only.'),
  tokenButton, tokenOut);

  replace(root, h('main', { class: 'signin' },
    h('div', { class: 'signin-card' },
      h('div', { class: 'brand big' }, h('span', { class: 'logo-mark', 'aria-hidden': 'true' }, 'H'), 'Herald Console'),
      h('h1', { class: 'signin-title' }, 'Sign in'),
      notice ? h('div', { class: 'alert alert-ok', role: 'status' }, notice) : null,
      form,
      h('h2', { class: 'signin-alt' }, 'With a token or API key'),
      tokenForm,
      h('p', { class: 'muted small' }, h('a', { href: '/docs/' }, 'API reference')))));
  (email ? password : emailInput).focus();
}

/** Works out which credential this is by asking the API that takes it. */
async function identify(token) {
  if (!token) throw { title: 'Enter a token or key.' };
  const role = token.startsWith('hk_') ? 'business' : 'operator';
  if (role === 'operator') {
    await api('GET', '/admin/v1/businesses', undefined, token);
    return { role, token, name: 'Operator token' };
  }
  const profile = await api('GET', '/v1/profile', undefined, token);
  return { role, token, name: profile.name, businessId: profile.business_id };
}
