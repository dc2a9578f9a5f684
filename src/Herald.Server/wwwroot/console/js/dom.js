// Building DOM without innerHTML: every value from the API is set as text, never parsed as markup.

/** h('div', {class: 'x', onclick: fn}, child, 'text', [more]) */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on')) el.addEventListener(key.slice(2), value);
    else if (key === 'class') el.className = value;
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (value === true) el.setAttribute(key, '');
    else el.setAttribute(key, String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** An SVG element (charts). */
export function svg(tag, attrs = {}, ...children) {
  const el = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [key, value] of Object.entries(attrs)) if (value !== undefined && value !== null) el.setAttribute(key, String(value));
  append(el, children);
  return el;
}

export function replace(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

export function time(value) {
  if (!value) return '—';
  const d = new Date(value);
  return d.toISOString().replace('T', ' ').slice(0, 19) + 'Z';
}

/** A labelled form field; `input` is the control, given an id so the label names it. */
let fieldSeq = 0;
export function field(label, input, hint) {
  const id = input.id || `f${++fieldSeq}`;
  input.id = id;
  return h('div', { class: 'field' }, h('label', { for: id }, label), input, hint ? h('small', {}, hint) : null);
}

export function badge(text, kind = text) {
  return h('span', { class: `badge badge-${kind}` }, text);
}

/** A problem answer shown where the action happened. */
export function problemBox(error) {
  const errors = error?.errors ? Object.entries(error.errors) : [];
  return h('div', { class: 'alert alert-error', role: 'alert' },
    h('strong', {}, error?.title ?? 'Something went wrong.'),
    error?.detail ? h('div', {}, error.detail) : null,
    errors.length ? h('ul', {}, errors.map(([f, m]) => h('li', {}, h('code', {}, f), ': ', m))) : null,
    error?.code ? h('div', { class: 'muted small' }, `code: ${error.code}`) : null);
}

export function toast(message) {
  const el = h('div', { class: 'toast', role: 'status' }, message);
  document.body.append(el);
  setTimeout(() => el.remove(), 4000);
}

/** Runs an async action with its button disabled; shows a problem in `out`. */
export async function busy(button, out, action) {
  button.disabled = true;
  if (out) out.replaceChildren();
  try {
    return await action();
  } catch (error) {
    if (out) out.append(problemBox(error));
    else toast(error.title ?? String(error));
    return undefined;
  } finally {
    button.disabled = false;
  }
}

export function table(columns, rows, empty = 'Nothing yet.') {
  if (!rows.length) return h('p', { class: 'empty' }, empty);
  // tabindex: a table wider than a phone scrolls inside its wrapper, which keyboard users must be able to scroll too.
  return h('div', { class: 'table-wrap', tabindex: 0 }, h('table', {},
    h('thead', {}, h('tr', {}, columns.map(c => h('th', {}, c || h('span', { class: 'visually-hidden' }, 'Actions'))))),
    h('tbody', {}, rows)));
}

/** A secret shown once (an API key, an operator token), with a Copy button; `what` names it ('key', 'token'). */
export function secretBox(what, value) {
  const input = h('input', { readonly: true, value, class: 'mono', 'aria-label': `New ${what}` });
  return h('div', { class: 'alert alert-key', role: 'status' },
    h('strong', {}, `Copy this ${what} now — it will not be shown again.`),
    h('div', { class: 'copy-row' }, input, h('button', { type: 'button', onclick: async () => { input.select(); await navigator.clipboard?.writeText(value).catch(() => {}); toast('Copied'); } }, 'Copy')),
    h('div', { class: 'muted small' }, 'Herald keeps only a hash of it.'));
}

export function card(title, ...children) {
  return h('section', { class: 'card' }, title ? h('h2', {}, title) : null, children);
}

/**
 * Asks in the page before a destructive or consumer-visible action (a modal <dialog>: focus stays in it, Escape
 * cancels). Resolves true only when the person chose `action`. The browser's confirm() is not used: it cannot say
 * what happens in the page's words, and some browsers let a page suppress it.
 */
export function confirmAction(title, text, action) {
  return new Promise(resolve => {
    const yes = h('button', { type: 'button', class: 'danger', value: 'yes' }, action);
    const no = h('button', { type: 'button', value: 'no' }, 'Cancel');
    const heading = h('h2', { id: `confirm-${++fieldSeq}` }, title);
    const dialog = h('dialog', { class: 'confirm', role: 'alertdialog', 'aria-labelledby': heading.id }, heading, h('p', {}, text),
      h('div', { class: 'actions' }, yes, no));
    yes.onclick = () => dialog.close('yes');
    no.onclick = () => dialog.close('no');
    dialog.addEventListener('close', () => { dialog.remove(); resolve(dialog.returnValue === 'yes'); });
    document.body.append(dialog);
    dialog.showModal();
    no.focus(); // the safe choice has focus: Enter does not destroy
  });
}
