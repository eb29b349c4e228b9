/**
 * Labelled form controls shared by the views. Each control has a visible label, a hint and an
 * error line tied to it with `aria-describedby`, so a screen reader reads all three.
 */

import type { AppState } from '../../main/core/app-state.ts';
import type { IpcReply, PresenceTrayBridge, SettingsView } from '../../main/ipc-contract.ts';
import type { Badge } from '../format.ts';
import { h } from '../dom.ts';

/** The app state and settings that every view renders. */
export interface WindowModel {
  state: AppState;
  settings: SettingsView;
}

export type ViewName = 'account' | 'status' | 'settings';

export interface ViewContext {
  bridge: PresenceTrayBridge;
  /** Wall-clock ms; the window's clock, so tests can fix it. */
  now(): number;
  /** Shows a view; `moveFocus` (default true) puts focus on its heading for screen readers. */
  showView(name: ViewName, moveFocus?: boolean): void;
}

export interface View {
  readonly element: HTMLElement;
  update(model: WindowModel): void;
}

export interface TextField {
  wrapper: HTMLElement;
  input: HTMLInputElement;
  hint: HTMLElement;
  error: HTMLElement;
  /** Shows `message` as the field's error, or clears it for null. */
  setError(message: string | null): void;
}

/** Creates a labelled text input with a hint and an error line. */
export function textField(id: string, label: string, hint: string, attrs: Record<string, string | boolean> = {}): TextField {
  const input = h('input', {
    attrs: { id, type: 'text', autocomplete: 'off', spellcheck: 'false', 'aria-describedby': `${id}-hint ${id}-error`, ...attrs },
  });
  const hintElement = h('p', { attrs: { id: `${id}-hint` }, className: 'hint', text: hint });
  const error = h('p', { attrs: { id: `${id}-error` }, className: 'field-error' });
  const wrapper = h('div', { className: 'field' }, h('label', { attrs: { for: id }, text: label }), input, hintElement, error);

  return {
    wrapper,
    input,
    hint: hintElement,
    error,
    setError(message) {
      error.textContent = message === null ? '' : `✗ ${message}`;
      if (message === null) {
        input.removeAttribute('aria-invalid');
      } else {
        input.setAttribute('aria-invalid', 'true');
      }
    },
  };
}

/** Creates a checkbox with its label and an optional hint. */
export function checkbox(id: string, label: string, hint?: string): { wrapper: HTMLElement; input: HTMLInputElement; hint: HTMLElement | null } {
  const hintElement = hint === undefined ? null : h('p', { attrs: { id: `${id}-hint` }, className: 'hint', text: hint });
  const input = h('input', { attrs: { id, type: 'checkbox', 'aria-describedby': hint === undefined ? undefined : `${id}-hint` } });
  const wrapper = h('div', { className: 'check' }, input, h('label', { attrs: { for: id }, text: label }), hintElement);
  return { wrapper, input, hint: hintElement };
}

/** Creates a button; `kind` picks the look of the primary action. */
export function button(id: string, label: string, kind: 'primary' | 'secondary' | 'danger' = 'secondary'): HTMLButtonElement {
  return h('button', { attrs: { id, type: 'button' }, className: `button ${kind}`, text: label });
}

/** Renders a badge: symbol and words, with the tone only adding colour. */
export function badge(value: Badge): HTMLElement {
  return h(
    'span',
    { className: `badge tone-${value.tone}` },
    h('span', { className: 'badge-symbol', attrs: { 'aria-hidden': 'true' }, text: value.symbol }),
    h('span', { text: value.text }),
  );
}

/** Sets `element`'s text to the reply's error, or clears it; returns whether the reply was ok. */
export function showReplyError(reply: IpcReply<unknown>, element: HTMLElement): boolean {
  if (reply.ok) {
    element.textContent = '';
    return true;
  }
  element.textContent = `✗ ${reply.error.message}`;
  return false;
}

/** Creates a definition-list row. */
export function row(term: string, valueId: string): { dt: HTMLElement; dd: HTMLElement } {
  return { dt: h('dt', { text: term }), dd: h('dd', { attrs: { id: valueId } }) };
}
