// Builds DOM nodes. Strings always become text nodes or attribute values, never markup: nothing here parses HTML,
// so text from a message or a sender profile cannot inject elements or scripts.

/**
 * @param {string} tag
 * @param {Record<string, any>} [props] attributes; `class`, `text`, `dataset`, and `on<event>` handlers are special
 * @param {...any} children nodes or strings; null, undefined and false are skipped; arrays are flattened
 */
export function h(tag, props = {}, ...children) {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === null || value === undefined || value === false)
      continue;
    if (key === 'class')
      element.className = value;
    else if (key === 'text')
      element.textContent = value;
    else if (key === 'dataset')
      Object.assign(element.dataset, value);
    else if (key.startsWith('on'))
      element.addEventListener(key.slice(2), value);
    else
      element.setAttribute(key, value === true ? '' : String(value));
  }
  append(element, children);
  return element;
}

export function append(parent, children) {
  for (const child of children.flat(Infinity)) {
    if (child !== null && child !== undefined && child !== false)
      parent.append(child instanceof Node ? child : String(child));
  }
  return parent;
}

/** Replaces everything inside `parent` with `children`. */
export function fill(parent, ...children) {
  parent.replaceChildren();
  return append(parent, children);
}
