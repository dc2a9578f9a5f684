// Sign-in by phone number and a one-time code (docs/protocol.md). Each sign-in makes this browser a new device.
import { fill, h } from './dom.js';
import { brandMark } from './brand.js';
import { requestCode, signIn } from '../net/api.js';

const E164 = /^\+[1-9][0-9]{6,14}$/;

/** "+44 7700 900-123" and "0044 7700 900123" both mean +447700900123. */
export function normalisePhone(value) {
  const compact = value.replace(/[\s().-]/g, '');
  return compact.startsWith('00') ? `+${compact.slice(2)}` : compact;
}

function field(label, input, hint) {
  return h('div', { class: 'field' }, h('label', { for: input.id, text: label }), input, hint && h('p', { class: 'field-hint', text: hint }));
}

/** A form whose submit button shows progress and whose errors are read out. */
function form(children, submitLabel, onSubmit) {
  const error = h('p', { class: 'form-error', role: 'alert' });
  const submit = h('button', { type: 'submit', class: 'button primary wide', text: submitLabel });
  const element = h('form', { class: 'signin-form', novalidate: true }, children, error, submit);
  element.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.textContent = '';
    submit.disabled = true;
    try {
      await onSubmit();
    } catch (failure) {
      error.textContent = failure.message;
    } finally {
      submit.disabled = false;
    }
  });
  return element;
}

/** @param {{notice?: string, onSignedIn: (session: object) => void}} options */
export function showSignIn(root, { notice, onSignedIn }) {
  const card = h('div', { class: 'signin-card' });
  fill(root, h('main', { class: 'signin', id: 'content' }, card));

  const frame = (...content) => fill(card,
    brandMark('lg'),
    h('h1', { text: 'Herald Messenger' }),
    h('p', { class: 'signin-lead', text: 'Messages from the businesses you deal with: verified, in one place, and kept only on your device.' }),
    content);

  const askPhone = (prefill = '') => {
    const phone = h('input', { id: 'phone', type: 'tel', autocomplete: 'tel', inputmode: 'tel', placeholder: '+44 7700 900123', value: prefill, required: true });
    frame(
      notice && h('p', { class: 'notice', role: 'status', text: notice }),
      form([field('Phone number', phone, 'In international format, starting with + and your country code.')], 'Send code', async () => {
        const number = normalisePhone(phone.value);
        if (!E164.test(number))
          throw new Error('Enter your number in international format, for example +447700900123.');
        await requestCode(number);
        notice = null;
        askCode(number);
      }));
    phone.focus();
  };

  const askCode = (number) => {
    const code = h('input', { id: 'code', type: 'text', autocomplete: 'one-time-code', inputmode: 'numeric', maxlength: 6, placeholder: '123456', required: true });
    const resend = h('button', { type: 'button', class: 'link-button', text: 'Send a new code' });
    const sent = h('p', { class: 'field-hint', role: 'status' });
    resend.addEventListener('click', async () => {
      resend.disabled = true;
      try {
        await requestCode(number);
        sent.textContent = 'A new code is on its way.';
      } catch (failure) {
        sent.textContent = failure.message;
      } finally {
        resend.disabled = false;
      }
    });
    frame(
      h('p', { class: 'signin-step' }, 'We sent a code by text message to ', h('strong', { text: number }), '.'),
      form([field('Code', code)], 'Sign in', async () => {
        const digits = code.value.replace(/\s/g, '');
        if (!/^[0-9]{6}$/.test(digits))
          throw new Error('The code has six digits.');
        onSignedIn(await signIn(number, digits));
      }),
      h('div', { class: 'signin-links' },
        h('button', { type: 'button', class: 'link-button', text: 'Use another number', onclick: () => askPhone(number) }),
        resend),
      sent);
    code.focus();
  };

  askPhone();
}
