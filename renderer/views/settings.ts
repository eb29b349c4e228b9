/**
 * The settings view: the global shortcut recorder, which events clear presence, the presence
 * session's bounds, and app behaviour. Each control saves on change; main validates again and a
 * rejected value is shown next to its control and put back.
 */

import type { Settings } from '../../main/core/settings/settings.ts';
import type { SettingsPatch } from '../../main/core/settings/patch.ts';
import { parseAccelerator } from '../../main/core/shortcut/accelerator.ts';
import { normalizeIdInput, SELF_EXPIRY_MINUTES, validateSelfExpiryMinutes, validateSessionIdOverride } from '../../main/core/settings/validators.ts';
import type { WindowEnvironment } from '../../main/ipc-contract.ts';
import { displayAccelerator, recordKeyPress } from '../accelerator-recorder.ts';
import { announce, h, replaceChildren } from '../dom.ts';
import { settle } from '../bridge.ts';
import { checkbox, textField, type View, type ViewContext, type WindowModel } from './controls.ts';

const CLEAR_TRIGGERS: ReadonlyArray<{ key: keyof Settings['clearOn']; id: string; label: string }> = [
  { key: 'quit', id: 'clear-on-quit', label: 'The app quits' },
  { key: 'suspend', id: 'clear-on-suspend', label: 'The computer goes to sleep' },
  { key: 'lockScreen', id: 'clear-on-lock', label: 'The screen locks or another user switches in' },
  { key: 'shutdown', id: 'clear-on-shutdown', label: 'The computer shuts down or you sign out' },
];

const TRAY_ACTIONS: ReadonlyArray<{ value: Settings['tray']['clickAction']; label: string }> = [
  { value: 'open-menu', label: 'Open the menu' },
  { value: 'clear', label: 'Clear presence' },
  { value: 'open-settings', label: 'Open this window' },
  { value: 'toggle-pause', label: 'Pause or resume' },
];

function fieldset(id: string, legend: string, ...children: HTMLElement[]): HTMLFieldSetElement {
  return h('fieldset', { attrs: { id } }, h('legend', { text: legend }), ...children);
}

export function createSettingsView(context: ViewContext): View {
  let model: WindowModel | null = null;
  const platform = (): WindowEnvironment['platform'] => model?.settings.environment.platform ?? 'other';

  const problems = h('div', { attrs: { id: 'settings-problems', role: 'alert' }, className: 'problem' });
  const saved = h('p', { attrs: { id: 'settings-saved', role: 'status' }, className: 'saved' });

  /** Saves a patch; on rejection shows the reason in `errorLine` and puts the controls back. */
  async function save(patch: SettingsPatch, errorLine: HTMLElement, done: string): Promise<boolean> {
    const reply = await settle(() => context.bridge.updateSettings(patch));
    if (!reply.ok) {
      errorLine.textContent = `✗ ${reply.error.message}`;
      saved.textContent = '';
      if (model !== null) {
        render(model);
      }
      return false;
    }
    errorLine.textContent = '';
    saved.textContent = `✓ ${done}`;
    announce(done);
    return true;
  }

  // Global shortcut.
  const shortcutEnabled = checkbox('shortcut-enabled', 'Clear presence with a global shortcut');
  const shortcutCurrent = h('kbd', { attrs: { id: 'shortcut-current' } });
  const recordButton = h('button', {
    attrs: { id: 'shortcut-record', type: 'button', 'aria-pressed': 'false', 'aria-describedby': 'shortcut-current shortcut-help shortcut-message' },
    className: 'button secondary',
    text: 'Record a new shortcut',
  });
  const shortcutHelp = h('p', {
    attrs: { id: 'shortcut-help' },
    className: 'hint',
    text: 'Choose Record, then press the keys together. Escape cancels; Tab leaves without recording.',
  });
  const shortcutMessage = h('p', { attrs: { id: 'shortcut-message', role: 'status' }, className: 'field-error' });
  const shortcutNotice = h('div', { attrs: { id: 'shortcut-unavailable' }, className: 'notice' });
  let recording = false;

  function stopRecording(): void {
    recording = false;
    recordButton.setAttribute('aria-pressed', 'false');
    recordButton.textContent = 'Record a new shortcut';
  }

  async function tryAccelerator(accelerator: string): Promise<void> {
    const shown = displayAccelerator(accelerator, platform());
    const parsed = parseAccelerator(accelerator);
    if (!parsed.ok) {
      shortcutMessage.textContent = `✗ ${shown}: ${parsed.error}`;
      return;
    }

    shortcutMessage.textContent = `Checking ${shown}…`;
    const reply = await settle(() => context.bridge.testShortcut({ accelerator: parsed.normalized }));
    if (!reply.ok) {
      shortcutMessage.textContent = `✗ ${reply.error.message}`;
      return;
    }
    const check = reply.value;
    if (check.status === 'invalid' || check.status === 'in-use') {
      shortcutMessage.textContent = `✗ ${check.message}`;
      announce(check.message);
      return;
    }

    const ok = await save({ shortcut: { accelerator: check.accelerator } }, shortcutMessage, `Shortcut saved: ${displayAccelerator(check.accelerator, platform())}.`);
    if (ok) {
      shortcutMessage.textContent = check.status === 'unsupported' ? `! ${check.message}` : `✓ ${check.message}`;
    }
  }

  recordButton.addEventListener('click', () => {
    if (recording) {
      stopRecording();
      return;
    }
    recording = true;
    recordButton.setAttribute('aria-pressed', 'true');
    recordButton.textContent = 'Press the new shortcut…';
    shortcutMessage.textContent = '';
    announce('Recording. Press the new shortcut, or Escape to cancel.');
  });
  recordButton.addEventListener('blur', () => {
    if (recording) {
      stopRecording();
    }
  });
  recordButton.addEventListener('keydown', (event) => {
    if (!recording) {
      return;
    }
    const plain = !event.ctrlKey && !event.altKey && !event.metaKey;
    if (plain && event.key === 'Tab') {
      // Tab keeps its meaning, so the recorder never traps keyboard focus.
      stopRecording();
      return;
    }
    event.preventDefault();
    event.stopPropagation();
    if (plain && !event.shiftKey && event.key === 'Escape') {
      stopRecording();
      shortcutMessage.textContent = 'Recording cancelled.';
      return;
    }

    const recorded = recordKeyPress(event, platform());
    if (recorded.kind === 'modifiers') {
      recordButton.textContent = `${displayAccelerator(recorded.modifiers.join('+'), platform())}+…`;
      return;
    }
    stopRecording();
    if (recorded.kind === 'unknown-key') {
      shortcutMessage.textContent = `✗ The key ${recorded.code} cannot be used in a global shortcut. Choose a letter, a digit or a function key.`;
      return;
    }
    void tryAccelerator(recorded.accelerator);
  });
  shortcutEnabled.input.addEventListener('change', () => {
    const enabled = shortcutEnabled.input.checked;
    void save({ shortcut: { enabled } }, shortcutMessage, enabled ? 'Global shortcut turned on.' : 'Global shortcut turned off.');
  });

  const shortcutSet = fieldset(
    'shortcut-settings',
    'Global shortcut',
    shortcutEnabled.wrapper,
    h('div', { className: 'recorder' }, h('span', { className: 'recorder-label', text: 'Shortcut:' }), shortcutCurrent, recordButton),
    shortcutHelp,
    shortcutMessage,
    shortcutNotice,
  );

  // Clear triggers.
  const triggerError = h('p', { attrs: { id: 'clear-on-error' }, className: 'field-error' });
  const triggerBoxes = CLEAR_TRIGGERS.map((trigger) => {
    const box = checkbox(trigger.id, trigger.label, trigger.key === 'lockScreen' ? '' : undefined);
    box.input.addEventListener('change', () => {
      const on = box.input.checked;
      void save({ clearOn: { [trigger.key]: on } }, triggerError, `${trigger.label}: ${on ? 'clears presence' : 'does not clear presence'}.`);
    });
    return { ...trigger, box };
  });
  const triggerSet = fieldset('clear-triggers', 'Clear presence when', ...triggerBoxes.map((trigger) => trigger.box.wrapper), triggerError);

  // Presence session.
  const expiry = textField(
    'self-expiry',
    'Self-expiry (minutes)',
    `If the app cannot clear it, Microsoft ends the session on its own after this long. ${SELF_EXPIRY_MINUTES.min} to ${SELF_EXPIRY_MINUTES.max} minutes.`,
    { type: 'number', min: String(SELF_EXPIRY_MINUTES.min), max: String(SELF_EXPIRY_MINUTES.max), step: '1', inputmode: 'numeric' },
  );
  expiry.input.addEventListener('input', () => {
    const result = validateSelfExpiryMinutes(Number(expiry.input.value));
    expiry.setError(expiry.input.value === '' || result.ok ? null : result.message);
  });
  expiry.input.addEventListener('change', () => {
    const result = validateSelfExpiryMinutes(expiry.input.value === '' ? Number.NaN : Number(expiry.input.value));
    if (!result.ok) {
      expiry.setError(result.message);
      return;
    }
    expiry.setError(null);
    void save({ presence: { selfExpiryMinutes: result.value } }, expiry.error, `Self-expiry set to ${result.value} minutes.`);
  });

  const versionError = h('p', { attrs: { id: 'graph-version-error' }, className: 'field-error' });
  const versionRadios = (['v1.0', 'beta'] as const).map((version) => {
    const id = version === 'v1.0' ? 'graph-v1' : 'graph-beta';
    const input = h('input', { attrs: { id, type: 'radio', name: 'graph-version', value: version } });
    input.addEventListener('change', () => {
      if (input.checked) {
        void save({ presence: { graphApiVersion: version } }, versionError, `Graph version set to ${version}.`);
      }
    });
    const label = version === 'v1.0' ? 'v1.0 (/users/{id}/presence)' : 'beta (/communications/presences/{id}, the route of Clear-MgBetaCommunicationPresence)';
    return { version, input, wrapper: h('div', { className: 'check' }, input, h('label', { attrs: { for: id }, text: label })) };
  });
  const versionSet = h('fieldset', { attrs: { id: 'graph-version' } }, h('legend', { text: 'Graph API version' }), ...versionRadios.map((radio) => radio.wrapper), versionError);
  const sessionSet = fieldset('session-settings', 'Presence session', expiry.wrapper, versionSet);

  // App behaviour.
  const startAtLogin = checkbox('start-at-login', 'Start Presence Tray when I sign in to the computer');
  const startError = h('p', { attrs: { id: 'start-at-login-error' }, className: 'field-error' });
  startAtLogin.input.addEventListener('change', () => {
    const on = startAtLogin.input.checked;
    void save({ startAtLogin: on }, startError, on ? 'Starts at login.' : 'Does not start at login.');
  });

  const trayError = h('p', { attrs: { id: 'tray-click-error' }, className: 'field-error' });
  const traySelect = h('select', { attrs: { id: 'tray-click' } }, ...TRAY_ACTIONS.map((action) => h('option', { attrs: { value: action.value }, text: action.label })));
  traySelect.addEventListener('change', () => {
    const action = TRAY_ACTIONS.find((item) => item.value === traySelect.value);
    if (action !== undefined) {
      void save({ tray: { clickAction: action.value } }, trayError, `Tray click: ${action.label}.`);
    }
  });
  const trayField = h(
    'div',
    { className: 'field' },
    h('label', { attrs: { for: 'tray-click' }, text: 'Clicking the tray icon' }),
    traySelect,
    h('p', { className: 'hint', text: 'Some Linux desktops ignore clicks on tray icons; every action is also in the menu.' }),
    trayError,
  );

  const proxyOutput = h('output', { attrs: { id: 'proxy', 'aria-labelledby': 'proxy-label' } });
  const proxyField = h('div', { className: 'field' }, h('span', { attrs: { id: 'proxy-label' }, className: 'label', text: 'Proxy in use' }), proxyOutput);

  const tokenCache = checkbox(
    'plaintext-token-cache',
    'Keep me signed in with a file only my user account can read',
    'This computer has no secure secret storage, so the sign-in is otherwise kept in memory and asked for at each start.',
  );
  const tokenError = h('p', { attrs: { id: 'token-cache-error' }, className: 'field-error' });
  tokenCache.input.addEventListener('change', () => {
    const on = tokenCache.input.checked;
    void save({ allowPlaintextTokenCache: on }, tokenError, on ? 'Sign-in is kept in a private file.' : 'Sign-in is kept in memory only.');
  });
  const tokenField = h('div', { attrs: { id: 'token-cache-field' } }, tokenCache.wrapper, tokenError);
  const appSet = fieldset('app-settings', 'App', startAtLogin.wrapper, startError, trayField, proxyField, tokenField);

  // Advanced.
  const sessionId = textField(
    'session-id',
    'Session ID',
    'Leave empty to use the client ID. Graph expects the application (client) ID of the app that sets presence, like -SessionId of Clear-MgBetaCommunicationPresence.',
  );
  sessionId.input.addEventListener('input', () => {
    const text = normalizeIdInput(sessionId.input.value);
    const result = validateSessionIdOverride(text === '' ? null : text);
    sessionId.setError(result.ok ? null : result.message);
  });
  sessionId.input.addEventListener('change', () => {
    const text = normalizeIdInput(sessionId.input.value);
    const result = validateSessionIdOverride(text === '' ? null : text);
    if (!result.ok) {
      sessionId.setError(result.message);
      return;
    }
    void save({ presence: { sessionIdOverride: result.value } }, sessionId.error, result.value === null ? 'Session ID: the client ID.' : 'Session ID saved.');
  });
  const advanced = h('details', { attrs: { id: 'advanced' }, className: 'help' }, h('summary', { text: 'Advanced' }), sessionId.wrapper);

  const element = h(
    'section',
    { attrs: { id: 'view-settings', 'aria-labelledby': 'settings-title' }, className: 'view' },
    h('h2', { attrs: { id: 'settings-title' }, text: 'Settings' }),
    problems,
    shortcutSet,
    triggerSet,
    sessionSet,
    appSet,
    advanced,
    saved,
  );

  function renderShortcutNotice(environment: WindowEnvironment): void {
    const { mode, reason, fallbackCommand } = environment.shortcuts;
    if (mode === 'native' || fallbackCommand === null) {
      shortcutNotice.hidden = true;
      replaceChildren(shortcutNotice);
      return;
    }
    shortcutNotice.hidden = false;
    const lead = mode === 'unsupported' ? '! Global shortcuts are unavailable here. ' : 'Your desktop may ask you to approve the shortcut. ';
    replaceChildren(
      shortcutNotice,
      h('p', {}, lead, reason, ' Bind the command ', h('code', { text: fallbackCommand }), mode === 'unsupported' ? " in your desktop's keyboard settings instead; it clears presence in the running app." : " in your desktop's keyboard settings if the shortcut never fires."),
    );
  }

  function render(next: WindowModel): void {
    const { settings, environment } = next.settings;

    const loadProblems = next.settings.problems;
    problems.hidden = loadProblems.length === 0;
    replaceChildren(
      problems,
      loadProblems.length === 0 ? null : h('p', { text: '! Some settings could not be read and were reset:' }),
      loadProblems.length === 0 ? null : h('ul', {}, ...loadProblems.map((line) => h('li', { text: line }))),
    );

    shortcutEnabled.input.checked = settings.shortcut.enabled;
    shortcutCurrent.textContent = displayAccelerator(settings.shortcut.accelerator, environment.platform);
    recordButton.disabled = !settings.shortcut.enabled;
    renderShortcutNotice(environment);

    for (const trigger of triggerBoxes) {
      trigger.box.input.checked = settings.clearOn[trigger.key];
      if (trigger.key === 'lockScreen' && trigger.box.hint !== null) {
        trigger.box.hint.hidden = environment.lockEventsSupported;
        trigger.box.hint.textContent = environment.lockEventsSupported ? '' : 'Linux does not tell apps when the screen locks; this applies on macOS and Windows.';
      }
    }

    if (document.activeElement !== expiry.input) {
      expiry.input.value = String(settings.presence.selfExpiryMinutes);
    }
    for (const radio of versionRadios) {
      radio.input.checked = settings.presence.graphApiVersion === radio.version;
    }

    startAtLogin.input.checked = settings.startAtLogin;
    traySelect.value = settings.tray.clickAction;
    proxyOutput.textContent = environment.proxy ?? 'None (direct connection)';
    tokenField.hidden = environment.secretStorage !== 'none';
    tokenCache.input.checked = settings.allowPlaintextTokenCache;

    if (document.activeElement !== sessionId.input) {
      sessionId.input.value = settings.presence.sessionIdOverride ?? '';
    }
    sessionId.input.placeholder = settings.account.clientId ?? 'the client ID';
  }

  return {
    element,
    update(next) {
      model = next;
      render(next);
    },
  };
}
