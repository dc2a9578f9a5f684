import { api } from './api.js';
import { h, replace, field, busy } from './dom.js';

/** An invitation or password-reset link: set a password and enrol an authenticator app, then sign in. */
export async function linkPage(root, token, signIn) {
  const card = h('div', { class: 'signin-card' }, h('div', { class: 'brand big' }, h('span', { class: 'logo-mark', 'aria-hidden': 'true' }, 'H'), 'Herald Console'));
  replace(root, h('main', { class: 'signin' }, card));
  let link;
  try {
    link = await api('POST', '/auth/v1/links/lookup', { token }, null);
  } catch (error) {
    card.append(h('h1', { class: 'signin-title' }, 'This link does not work'),
      h('p', {}, error.detail ?? 'It may have been used already or have expired. Ask whoever sent it for a new one.'),
      h('button', { onclick: () => { history.replaceState(null, '', '/console/'); signIn(); } }, 'Go to sign-in'));
    return;
  }
  const joining = link.kind === 'invitation';
  const password = h('input', { type: 'password', autocomplete: 'new-password', required: true, minlength: 12, maxlength: 128 });
  const code = h('input', { inputmode: 'numeric', autocomplete: 'one-time-code', pattern: '[0-9]{6}', maxlength: 6 });
  const out = h('div');
  const button = h('button', { type: 'submit', class: 'primary' }, joining ? 'Create my account' : 'Set my password');
  card.append(
    h('h1', { class: 'signin-title' }, !joining ? 'Set a new password' : link.business_id ? 'Join your business on Herald' : 'Join the operator team'),
    h('p', {}, `${link.email}, as ${link.role}.`),
    h('form', { class: 'signin-form', onsubmit: async e => {
      e.preventDefault();
      await busy(button, out, async () => {
        await api('POST', '/auth/v1/links/accept', { token, password: password.value, code: code.value.trim() || undefined }, null);
        history.replaceState(null, '', '/console/'); // the spent link leaves the address bar, without a hashchange re-render
        signIn({ email: link.email, notice: joining ? 'Your account is ready. Sign in.' : 'Your new password is set. Sign in.' });
      });
    } },
    field('Choose a password', password, 'At least 12 characters.'),
    h('fieldset', { class: 'enrol' },
      h('legend', {}, link.second_factor_required ? 'Authenticator app (required for your role)' : 'Authenticator app (optional)'),
      h('p', { class: 'small' }, 'Scan this code with an authenticator app, then enter the 6 digits it shows.'),
      h('img', { src: link.qr_code, alt: 'QR code to add Herald to your authenticator app', width: 180, height: 180 }),
      field('Or add this link to your app', h('input', { readonly: true, value: link.otpauth_uri })),
      field('6-digit code from your authenticator app', code)),
    button, out),
    h('p', { class: 'muted small' }, `This link works once, until ${new Date(link.expires_at).toLocaleString()}.`));
  password.focus();
}
