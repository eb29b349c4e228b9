/**
 * Entry of the settings window: loads the state and settings over the bridge, builds the three
 * views, follows main's pushes, and ticks the countdowns once a second.
 */

import type { PresenceTrayBridge } from '../main/ipc-contract.ts';
import { byId, h, replaceChildren } from './dom.ts';
import { getBridge, settle } from './bridge.ts';
import { createAccountView } from './views/account.ts';
import { createSettingsView } from './views/settings.ts';
import { createStatusView } from './views/status.ts';
import type { View, ViewContext, ViewName, WindowModel } from './views/controls.ts';

const VIEW_NAMES: readonly ViewName[] = ['account', 'status', 'settings'];

function showFatal(message: string): void {
  const main = byId('content');
  replaceChildren(main, h('p', { attrs: { role: 'alert' }, className: 'problem', text: `! ${message}` }));
}

async function start(bridge: PresenceTrayBridge): Promise<void> {
  const tabs = new Map<ViewName, HTMLButtonElement>(VIEW_NAMES.map((name) => [name, byId<HTMLButtonElement>(`tab-${name}`)]));
  const views = new Map<ViewName, View>();

  const context: ViewContext = {
    bridge,
    now: () => Date.now(),
    showView(name, moveFocus = true) {
      for (const [viewName, view] of views) {
        view.element.hidden = viewName !== name;
      }
      for (const [tabName, tab] of tabs) {
        if (tabName === name) {
          tab.setAttribute('aria-current', 'page');
        } else {
          tab.removeAttribute('aria-current');
        }
      }
      if (moveFocus) {
        views.get(name)?.element.querySelector('h2')?.focus();
      }
    },
  };

  views.set('account', createAccountView(context));
  views.set('status', createStatusView(context));
  views.set('settings', createSettingsView(context));
  for (const view of views.values()) {
    // The heading takes focus on a view change, so screen readers announce the new view.
    view.element.querySelector('h2')?.setAttribute('tabindex', '-1');
  }
  for (const [name, tab] of tabs) {
    tab.addEventListener('click', () => context.showView(name));
  }

  const [state, settings] = await Promise.all([settle(() => bridge.getState()), settle(() => bridge.getSettings())]);
  if (!state.ok || !settings.ok) {
    let error = null;
    if (!state.ok) {
      error = state.error;
    } else if (!settings.ok) {
      error = settings.error;
    }
    showFatal(`The window could not load the app's state: ${error?.message ?? 'unknown error'}. Close and reopen the window.`);
    return;
  }

  const model: WindowModel = { state: state.value, settings: settings.value };
  const render = (): void => {
    byId('sandbox-badge').hidden = !model.state.sandbox;
    for (const view of views.values()) {
      view.update(model);
    }
  };

  bridge.onStateChanged((next) => {
    model.state = next;
    render();
  });
  bridge.onSettingsChanged((next) => {
    model.settings = next;
    render();
  });

  replaceChildren(byId('content'), ...[...views.values()].map((view) => view.element));
  render();

  const firstRun = model.settings.settings.account.clientId === null && model.state.account.kind !== 'signed-in' && !model.state.sandbox;
  // On first load focus stays at the top of the page, so Tab starts at the section buttons.
  context.showView(firstRun ? 'account' : 'status', false);

  window.setInterval(() => views.get('status')?.update(model), 1000);
  document.body.dataset.ready = 'true';
}

const bridge = getBridge();
if (bridge === null) {
  showFatal('This window was opened without its connection to Presence Tray. Open it from the tray menu.');
} else {
  void start(bridge);
}
