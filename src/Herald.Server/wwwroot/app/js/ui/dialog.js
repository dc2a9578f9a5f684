// Modal dialogs on the native <dialog>: focus is trapped and restored, Escape and the backdrop dismiss.
import { h } from './dom.js';
import { icon } from './icons.js';

let counter = 0;

/**
 * @param {{title: string, content?: Node[], actions?: {label: string, value: any, kind?: string}[], className?: string}} options
 * @returns {Promise<any>} the chosen action's value, or null when dismissed
 */
export function openDialog({ title, content = [], actions = [], className = '' }) {
  return new Promise((resolve) => {
    const titleId = `dialog-title-${++counter}`;
    let result = null;
    const close = (value) => {
      result = value;
      dialog.close();
    };
    const dialog = h('dialog', { class: `dialog ${className}`, 'aria-labelledby': titleId },
      h('div', { class: 'dialog-body' },
        h('button', { type: 'button', class: 'icon-button dialog-close', 'aria-label': 'Close', onclick: () => close(null) }, icon('close')),
        h('h2', { class: 'dialog-title', id: titleId, text: title }),
        content,
        actions.length > 0 && h('div', { class: 'dialog-actions' },
          actions.map((action) => h('button', { type: 'button', class: `button ${action.kind ?? 'secondary'}`, onclick: () => close(action.value) }, action.label)))));
    dialog.addEventListener('click', (event) => {
      if (event.target === dialog) // the backdrop: the body fills the dialog, so only clicks outside it land here
        close(null);
    });
    dialog.addEventListener('close', () => {
      dialog.remove();
      resolve(result);
    });
    document.body.append(dialog);
    dialog.showModal();
  });
}

export async function confirmDialog({ title, text, confirm, danger = false }) {
  const answer = await openDialog({
    title,
    content: [h('p', { class: 'dialog-text', text })],
    actions: [{ label: 'Cancel', value: false }, { label: confirm, value: true, kind: danger ? 'danger' : 'primary' }],
  });
  return answer === true;
}
