// The reply box of a two-way chat. Enter sends, Shift+Enter starts a new line.
import { h } from './dom.js';
import { icon } from './icons.js';

const MAX_CHARACTERS = 1000; // Herald's limit, counted in characters as people count them (an emoji is one)

export function composer({ senderName, onSend }) {
  const count = (text) => [...text].length;
  const counter = h('span', { class: 'composer-count', 'aria-live': 'polite' });
  const send = h('button', { type: 'submit', class: 'icon-button composer-send', 'aria-label': 'Send', disabled: true }, icon('send'));
  const input = h('textarea', { class: 'composer-input', rows: 1, 'aria-label': `Reply to ${senderName}`, placeholder: 'Write a reply…' });

  const update = () => {
    const length = count(input.value);
    const blank = input.value.trim() === '';
    send.disabled = blank || length > MAX_CHARACTERS;
    counter.textContent = length > MAX_CHARACTERS * 0.9 ? `${length}/${MAX_CHARACTERS}` : '';
    counter.classList.toggle('over', length > MAX_CHARACTERS);
    input.style.height = 'auto';
    input.style.height = `${Math.min(input.scrollHeight, 160)}px`;
  };
  const form = h('form', {
    class: 'composer',
    onsubmit: (event) => {
      event.preventDefault();
      if (send.disabled)
        return;
      onSend(input.value.trim());
      input.value = '';
      update();
      input.focus();
    },
  }, input, counter, send);
  input.addEventListener('input', update);
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
  return form;
}
