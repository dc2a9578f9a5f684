// Short notes at the bottom of the screen ("Could not unsubscribe: …"), read out by screen readers.
import { h } from './dom.js';

const SHOWN_MS = 5000;
let region = null;

export function toast(text, kind = 'info') {
  if (!region?.isConnected) {
    region = h('div', { class: 'toasts', role: 'status', 'aria-live': 'polite' });
    document.body.append(region);
  }
  const note = h('div', { class: `toast toast-${kind}`, text });
  region.append(note);
  setTimeout(() => note.remove(), SHOWN_MS);
}
