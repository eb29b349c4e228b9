/**
 * The account view, which is also the first-run view: connect a Microsoft 365 account with the
 * client ID and tenant of an app registration, follow the sign-in, or try the local sandbox.
 */

import type { AccountState } from '../../main/core/app-state.ts';
import { normalizeIdInput, validateClientId, validateTenant, type Validation } from '../../main/core/settings/validators.ts';
import { announce, h, replaceChildren } from '../dom.ts';
import { settle } from '../bridge.ts';
import { button, showReplyError, textField, type TextField, type View, type ViewContext, type WindowModel } from './controls.ts';

/** The registration steps, in the words and menu names of the Microsoft Entra admin center. */
const REGISTRATION_STEPS: ReadonlyArray<string | [string, string]> = [
  'In the Microsoft Entra admin center, open App registrations and choose New registration.',
  'Name it (for example Presence Tray) and choose "Accounts in this organizational directory only".',
  [
    'Under Authentication, add the platform "Mobile and desktop applications" with the redirect URI ',
    'http://localhost',
  ],
  'Do not add it as a Web or single-page application redirect, and do not create a client secret: Presence Tray is a public client.',
  ['Under API permissions, add the Microsoft Graph delegated permission ', 'Presence.ReadWrite'],
  'For sign-in with a code, turn on "Allow public client flows" under Authentication, Advanced settings.',
  'Copy the Application (client) ID and the Directory (tenant) ID from the Overview page into the fields above.',
];

function registrationSteps(): HTMLElement {
  const list = h('ol', { className: 'steps' });
  for (const step of REGISTRATION_STEPS) {
    if (typeof step === 'string') {
      list.append(h('li', { text: step }));
    } else {
      list.append(h('li', {}, step[0], h('code', { text: step[1] }), '.'));
    }
  }
  return list;
}

/** Validates a field's typed text; empty text shows no error until the user submits. */
function checkTyped(field: TextField, validate: (value: string) => Validation<string>, showEmpty: boolean): Validation<string> {
  const text = normalizeIdInput(field.input.value);
  const result = validate(text);
  if (result.ok || (text === '' && !showEmpty)) {
    field.setError(null);
  } else {
    field.setError(result.message);
  }
  return result;
}

export function createAccountView(context: ViewContext): View {
  const clientId = textField('client-id', 'Application (client) ID', 'From the Overview page of your app registration.', {
    placeholder: '00000000-0000-0000-0000-000000000000',
  });
  const tenant = textField(
    'tenant',
    'Tenant',
    'Your tenant ID, a verified domain such as contoso.onmicrosoft.com, or organizations for any work or school account.',
  );
  const signInBrowser = button('sign-in-browser', 'Save and sign in with the browser', 'primary');
  // The submit button makes Enter in either field sign in with the browser.
  signInBrowser.type = 'submit';
  const signInCode = button('sign-in-code', 'Save and sign in with a code');
  const formError = h('p', { attrs: { id: 'connect-error', role: 'alert' }, className: 'form-error' });
  const accountPanel = h('div', { attrs: { id: 'account-panel', 'aria-live': 'polite' }, className: 'panel' });
  const sandboxButton = button('try-sandbox', 'Try the sandbox');
  const sandboxError = h('p', { attrs: { id: 'sandbox-error', role: 'alert' }, className: 'form-error' });
  const guideButton = button('open-registration-guide', "Open Microsoft's registration guide");

  let submitted = false;
  let model: WindowModel | null = null;

  const managedNote = (field: TextField, source: string | undefined): void => {
    field.input.readOnly = source !== undefined;
    field.wrapper.classList.toggle('managed', source !== undefined);
    if (source !== undefined) {
      field.hint.textContent = `Set by your administrator (${source}); it cannot be changed here.`;
    }
  };

  clientId.input.addEventListener('input', () => checkTyped(clientId, validateClientId, submitted));
  tenant.input.addEventListener('input', () => checkTyped(tenant, validateTenant, submitted));

  async function connect(method: 'browser' | 'device-code'): Promise<void> {
    submitted = true;
    formError.textContent = '';
    const managed = model?.settings.managed;
    const clientResult = checkTyped(clientId, validateClientId, true);
    const tenantResult = checkTyped(tenant, validateTenant, true);
    if (!clientResult.ok || !tenantResult.ok) {
      const first = !clientResult.ok ? clientId.input : tenant.input;
      first.focus();
      announce('Check the highlighted fields.');
      return;
    }

    const account: { clientId?: string; tenant?: string } = {};
    if (managed?.clientId === null || managed === undefined) {
      account.clientId = clientResult.value;
    }
    if (managed?.tenant === null || managed === undefined) {
      account.tenant = tenantResult.value;
    }
    if (account.clientId !== undefined || account.tenant !== undefined) {
      const saved = await settle(() => context.bridge.updateSettings({ account }));
      if (!saved.ok) {
        let target: TextField | null = null;
        if (saved.error.field === 'account.tenant') {
          target = tenant;
        } else if (saved.error.field === 'account.clientId') {
          target = clientId;
        }
        if (target === null) {
          showReplyError(saved, formError);
        } else {
          target.setError(saved.error.message);
          target.input.focus();
        }
        return;
      }
    }

    announce(method === 'browser' ? 'Saved. Opening the browser to sign in.' : 'Saved. Requesting a sign-in code.');
    const started = await settle(() => context.bridge.signIn({ method }));
    showReplyError(started, formError);
  }

  signInCode.addEventListener('click', () => void connect('device-code'));
  guideButton.addEventListener('click', () => void settle(() => context.bridge.openHelp({ topic: 'app-registration' })));
  sandboxButton.addEventListener('click', async () => {
    const reply = await settle(() => context.bridge.startSandbox());
    if (showReplyError(reply, sandboxError)) {
      announce('The sandbox is running. Sign in to it from the status view.');
      context.showView('status');
    }
  });

  const form = h(
    'form',
    { attrs: { id: 'connect-form', novalidate: true, 'aria-labelledby': 'account-title' } },
    clientId.wrapper,
    tenant.wrapper,
    h('div', { className: 'actions' }, signInBrowser, signInCode),
    formError,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void connect('browser');
  });

  const element = h(
    'section',
    { attrs: { id: 'view-account', 'aria-labelledby': 'account-title' }, className: 'view' },
    h('h2', { attrs: { id: 'account-title' }, text: 'Connect a Microsoft 365 account' }),
    h('p', {
      text: 'Presence Tray sets and clears your Teams presence through Microsoft Graph. It needs a work or school account and an app registration in your organization.',
    }),
    accountPanel,
    form,
    h(
      'details',
      { attrs: { id: 'registration-help' }, className: 'help' },
      h('summary', { text: 'How to register the app in Microsoft Entra' }),
      registrationSteps(),
      guideButton,
    ),
    h(
      'section',
      { attrs: { 'aria-labelledby': 'sandbox-title' }, className: 'sandbox' },
      h('h3', { attrs: { id: 'sandbox-title' }, text: 'No app registration yet?' }),
      h('p', {
        text: 'The sandbox is a local imitation of Microsoft sign-in and Graph presence on this computer. Nothing is sent to Microsoft.',
      }),
      sandboxButton,
      sandboxError,
    ),
  );

  // The panel is rebuilt only when the account changes, so a push does not steal focus.
  let renderedAccount = '';
  function renderAccount(account: AccountState): void {
    const key = JSON.stringify(account);
    if (key === renderedAccount) {
      return;
    }
    renderedAccount = key;
    const parts: Array<HTMLElement | string> = [];
    switch (account.kind) {
      case 'signed-in': {
        const signOut = button('sign-out', 'Sign out');
        signOut.addEventListener('click', () => void settle(() => context.bridge.signOut()));
        parts.push(h('p', { text: `✓ Signed in as ${account.displayName} (${account.username}).` }), signOut);
        break;
      }
      case 'signing-in':
        parts.push(signingInPanel(context, account, 'account'));
        break;
      case 'admin-consent-needed': {
        const open = button('open-admin-consent', 'Open the admin consent page');
        open.addEventListener('click', () => void settle(() => context.bridge.openHelp({ topic: 'admin-consent' })));
        parts.push(
          h('p', {
            text: `! Admin consent needed in tenant ${account.tenantId}: an administrator must approve Presence.ReadWrite for this app. Send them the admin consent page, or enter another app registration below.`,
          }),
          open,
        );
        break;
      }
      case 'personal-account-unsupported':
        parts.push(
          h('p', {
            text: `! ${account.username} is a personal Microsoft account. Teams presence works only with work or school accounts: sign in with one.`,
          }),
        );
        break;
      case 'signed-out':
        if (account.reason === 'session-expired') {
          parts.push(h('p', { text: '! Your sign-in expired. Sign in again.' }));
        }
        break;
    }
    replaceChildren(accountPanel, ...parts);
    accountPanel.hidden = parts.length === 0;
  }

  return {
    element,
    update(next) {
      model = next;
      const { settings, managed } = next.settings;
      managedNote(clientId, managed.clientId?.source);
      managedNote(tenant, managed.tenant?.source);

      // Never overwrite what the user is typing.
      if (document.activeElement !== clientId.input) {
        clientId.input.value = settings.account.clientId ?? '';
      }
      if (document.activeElement !== tenant.input) {
        tenant.input.value = settings.account.tenant;
      }

      const busy = next.state.account.kind === 'signing-in';
      signInBrowser.disabled = busy;
      signInCode.disabled = busy;
      renderAccount(next.state.account);
    },
  };
}

/**
 * Builds the sign-in progress panel: a browser wait, or the device code with its page. Both the
 * account and the status view show it, so `idPrefix` keeps element IDs unique.
 */
export function signingInPanel(context: ViewContext, account: Extract<AccountState, { kind: 'signing-in' }>, idPrefix: string): HTMLElement {
  const cancel = button(`${idPrefix}-cancel-sign-in`, 'Cancel sign-in');
  cancel.addEventListener('click', () => void settle(() => context.bridge.cancelSignIn()));

  if (account.method === 'browser' || account.userCode === undefined) {
    return h('div', { className: 'signing-in' }, h('p', { text: '… Finish signing in in your browser.' }), cancel);
  }

  const openPage = button(`${idPrefix}-open-device-page`, 'Open the sign-in page', 'primary');
  openPage.addEventListener('click', () => void settle(() => context.bridge.openHelp({ topic: 'device-code' })));
  return h(
    'div',
    { className: 'signing-in' },
    h('p', {}, '… Open ', h('code', { text: account.verificationUri ?? 'the sign-in page' }), ' and enter this code:'),
    h('p', { attrs: { id: `${idPrefix}-device-code` }, className: 'device-code', text: account.userCode }),
    h('div', { className: 'actions' }, openPage, cancel),
  );
}
