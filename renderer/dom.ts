/**
 * A small helper for building DOM nodes. Text always goes in through `textContent`, never as
 * HTML, and no inline `style` or `on*` attribute is ever set, so the page's Content Security
 * Policy can forbid inline script and style outright.
 */

export type Child = Node | string | null | undefined | false;

export interface ElementOptions {
  /** Attributes, set with `setAttribute`; `true` sets an empty attribute, `false` omits it. */
  attrs?: Record<string, string | number | boolean | undefined>;
  /** Class names. */
  className?: string;
  text?: string;
}

/** Creates an element with attributes and children. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, options: ElementOptions = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(options.attrs ?? {})) {
    if (name === 'style' || name.startsWith('on')) {
      throw new Error(`Attribute ${name} is not allowed: the page's Content Security Policy blocks inline style and script.`);
    }
    if (value === undefined || value === false) {
      continue;
    }
    element.setAttribute(name, value === true ? '' : String(value));
  }
  if (options.className !== undefined) {
    element.className = options.className;
  }
  if (options.text !== undefined) {
    element.textContent = options.text;
  }
  append(element, ...children);
  return element;
}

/** Appends children, skipping empty ones. */
export function append(parent: Node, ...children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) {
      continue;
    }
    parent.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
  }
}

/** Replaces all children of `parent`. */
export function replaceChildren(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, ...children);
}

/** Returns the element with `id`, or throws naming the id; the page markup defines them. */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (element === null) {
    throw new Error(`The window is missing element #${id}; rebuild the renderer.`);
  }
  return element as T;
}

/** Reads text to screen readers through the page's polite live region. */
export function announce(message: string): void {
  const region = document.getElementById('announcer');
  if (region === null) {
    return;
  }
  // Clearing first makes a repeated message ("Saved.") read again.
  region.textContent = '';
  window.setTimeout(() => {
    region.textContent = message;
  }, 50);
}
