/**
 * The status view: the account, the presence session the app owns (what it set, what Teams
 * shows, whether they agree, when the next keep-alive and the expiry come), the last clear, and
 * the set, clear and pause actions.
 */

import type { AppState, SessionState } from '../../main/core/app-state.ts';
import { SESSION_PAIRS, type SessionAvailability } from '../../main/core/presence/pairs.ts';
import { announce, h, replaceChildren } from '../dom.ts';
import { settle } from '../bridge.ts';
import { formatClock, formatPair, formatRelative, readbackBadge, resultWords, triggerWords } from '../format.ts';
import { signingInPanel } from './account.ts';
import { badge, button, row, showReplyError, type View, type ViewContext } from './controls.ts';

/** Durations the window offers, in minutes; null keeps the presence until cleared. */
const DURATIONS: ReadonlyArray<{ label: string; minutes: number | null }> = [
  { label: '30 minutes', minutes: 30 },
  { label: '1 hour', minutes: 60 },
  { label: '2 hours', minutes: 120 },
  { label: '4 hours', minutes: 240 },
  { label: '8 hours', minutes: 480 },
  { label: 'Until I clear it', minutes: null },
];

function labelled(id: string, label: string, control: HTMLElement): HTMLElement {
  return h('div', { className: 'field inline' }, h('label', { attrs: { for: id }, text: label }), control);
}

export function createStatusView(context: ViewContext): View {
  const problem = h('div', { attrs: { id: 'problem', role: 'alert' }, className: 'problem' });
  const accountLine = h('p', { attrs: { id: 'status-account' } });
  const accountExtra = h('div', { attrs: { id: 'status-account-actions' } });

  const set = row('The app set', 'session-set');
  const shown = row('Teams shows', 'session-shown');
  const confirmation = row('Confirmation', 'session-readback');
  const until = row('Held until', 'session-until');
  const refresh = row('Next keep-alive', 'session-refresh');
  const expiry = row('Expires at Microsoft', 'session-expiry');
  const sessionList = h('dl', { attrs: { id: 'session-details' } }, set.dt, set.dd, shown.dt, shown.dd, confirmation.dt, confirmation.dd, until.dt, until.dd, refresh.dt, refresh.dd, expiry.dt, expiry.dd);
  const sessionSummary = h('p', { attrs: { id: 'session-summary' } });

  const pairSelect = h('select', { attrs: { id: 'set-pair' } });
  SESSION_PAIRS.forEach((pair, index) => pairSelect.append(h('option', { attrs: { value: String(index) }, text: formatPair(pair) })));
  const durationSelect = h('select', { attrs: { id: 'set-duration' } });
  DURATIONS.forEach((duration, index) => durationSelect.append(h('option', { attrs: { value: String(index) }, text: duration.label })));
  durationSelect.value = String(DURATIONS.findIndex((duration) => duration.minutes === 60));

  const setButton = button('set-presence', 'Set presence', 'primary');
  const clearButton = button('clear-presence', 'Clear presence');
  const pauseButton = button('pause-presence', 'Pause');
  const actionsHint = h('p', { attrs: { id: 'session-actions-hint' }, className: 'hint' });
  const actionResult = h('p', { attrs: { id: 'session-action-result', role: 'status' }, className: 'form-error' });
  for (const control of [setButton, clearButton, pauseButton]) {
    control.setAttribute('aria-describedby', 'session-actions-hint');
  }

  const lastWhen = row('When', 'last-clear-when');
  const lastTrigger = row('Trigger', 'last-clear-trigger');
  const lastResult = row('Result', 'last-clear-result');
  const lastRequest = row('Request ID', 'last-clear-request-id');
  const lastClearList = h('dl', { attrs: { id: 'last-clear' } }, lastWhen.dt, lastWhen.dd, lastTrigger.dt, lastTrigger.dd, lastResult.dt, lastResult.dd, lastRequest.dt, lastRequest.dd);
  const lastClearNone = h('p', { attrs: { id: 'last-clear-none' }, text: 'No clear yet in this run.' });

  setButton.addEventListener('click', async () => {
    const pair = SESSION_PAIRS[Number(pairSelect.value)] ?? SESSION_PAIRS[0];
    const duration = DURATIONS[Number(durationSelect.value)] ?? DURATIONS[0];
    if (pair === undefined || duration === undefined) {
      return;
    }
    const reply = await settle(() =>
      context.bridge.setPresence({
        availability: pair.availability as SessionAvailability,
        activity: pair.activity,
        durationMs: duration.minutes === null ? null : duration.minutes * 60_000,
      }),
    );
    if (showReplyError(reply, actionResult)) {
      announce(`Presence set to ${formatPair(pair)}.`);
    }
  });
  clearButton.addEventListener('click', async () => {
    const reply = await settle(() => context.bridge.clearPresence());
    if (showReplyError(reply, actionResult) && reply.ok) {
      announce(`Clear: ${resultWords(reply.value.result)}.`);
    }
  });
  pauseButton.addEventListener('click', async () => {
    const reply = await settle(() => context.bridge.pausePresence());
    if (showReplyError(reply, actionResult)) {
      announce('Paused: presence cleared and the keep-alive stopped.');
    }
  });

  const element = h(
    'section',
    { attrs: { id: 'view-status', 'aria-labelledby': 'status-title' }, className: 'view' },
    h('h2', { attrs: { id: 'status-title' }, text: 'Status' }),
    problem,
    h('section', { attrs: { 'aria-labelledby': 'status-account-title' } }, h('h3', { attrs: { id: 'status-account-title' }, text: 'Account' }), accountLine, accountExtra),
    h(
      'section',
      { attrs: { 'aria-labelledby': 'session-title' } },
      h('h3', { attrs: { id: 'session-title' }, text: 'Presence session' }),
      sessionSummary,
      sessionList,
      h(
        'div',
        { className: 'set-row' },
        labelled('set-pair', 'Presence', pairSelect),
        labelled('set-duration', 'For', durationSelect),
      ),
      h('div', { className: 'actions' }, setButton, clearButton, pauseButton),
      actionsHint,
      actionResult,
    ),
    h('section', { attrs: { 'aria-labelledby': 'last-clear-title' } }, h('h3', { attrs: { id: 'last-clear-title' }, text: 'Last clear' }), lastClearNone, lastClearList),
  );

  let renderedAccount = '';
  function renderAccount(state: AppState, clientIdSet: boolean): void {
    const account = state.account;
    const key = JSON.stringify([account, clientIdSet]);
    if (key === renderedAccount) {
      return;
    }
    renderedAccount = key;

    const extras: HTMLElement[] = [];
    switch (account.kind) {
      case 'signed-in':
        accountLine.textContent = `✓ ${account.displayName} (${account.username}), tenant ${account.tenantId}`;
        break;
      case 'signing-in':
        accountLine.textContent = 'Signing in…';
        extras.push(signingInPanel(context, account, 'status'));
        break;
      case 'signed-out': {
        accountLine.textContent = account.reason === 'session-expired' ? '! Your sign-in expired. Sign in again.' : 'Not signed in.';
        const signIn = button('status-sign-in', clientIdSet ? 'Sign in' : 'Connect an account', 'primary');
        signIn.addEventListener('click', () => {
          if (clientIdSet) {
            void settle(() => context.bridge.signIn({ method: 'browser' }));
          } else {
            context.showView('account');
          }
        });
        extras.push(signIn);
        break;
      }
      case 'admin-consent-needed':
      case 'personal-account-unsupported': {
        accountLine.textContent =
          account.kind === 'admin-consent-needed'
            ? `! Admin consent needed in tenant ${account.tenantId}.`
            : `! ${account.username} is a personal account; presence needs a work or school account.`;
        const details = button('status-account-details', 'What to do');
        details.addEventListener('click', () => context.showView('account'));
        extras.push(details);
        break;
      }
    }
    replaceChildren(accountExtra, ...extras);
  }

  function renderSession(session: SessionState, state: AppState, now: number): void {
    const active = session.kind === 'active';
    sessionList.hidden = !active;
    shown.dd.textContent = state.shown === null ? 'Not read yet' : formatPair(state.shown);

    switch (session.kind) {
      case 'none':
        sessionSummary.textContent = 'No session: the app has not set a presence.';
        break;
      case 'paused':
        sessionSummary.textContent = 'Paused: the session was cleared and is not set again until you set it.';
        break;
      case 'clear-pending':
        sessionSummary.textContent = `! A clear failed ${formatRelative(session.since, now)} and is retried at the next chance: ${session.lastError}`;
        break;
      case 'active':
        sessionSummary.textContent = `The app holds a presence session${state.sandbox ? ' in the sandbox' : ''}.`;
        set.dd.textContent = formatPair(session.pair);
        replaceChildren(confirmation.dd, badge(readbackBadge(session.readback, now)));
        until.dd.textContent = session.intentUntil === null ? 'Until you clear it' : `${formatClock(session.intentUntil)} (${formatRelative(session.intentUntil, now)})`;
        refresh.dd.textContent = session.nextRefreshAt === null ? 'None scheduled' : formatRelative(session.nextRefreshAt, now);
        expiry.dd.textContent = `${formatRelative(session.expiresAt, now)}, at ${formatClock(session.expiresAt)}, if no keep-alive renews it`;
        break;
    }
  }

  function renderLastClear(state: AppState, now: number): void {
    const last = state.lastClear;
    lastClearNone.hidden = last !== null;
    lastClearList.hidden = last === null;
    if (last === null) {
      return;
    }
    lastWhen.dd.textContent = `${formatClock(last.at)} (${formatRelative(last.at, now)})`;
    lastTrigger.dd.textContent = triggerWords(last.trigger);
    const failed = last.result === 'failed' || last.result === 'journaled';
    lastResult.dd.textContent = `${failed ? '✗' : '✓'} ${resultWords(last.result)}${last.error === undefined ? '' : `: ${last.error}`}`;
    lastRequest.dd.textContent = last.requestId ?? 'None (no response from Graph)';
  }

  return {
    element,
    update({ state, settings }) {
      const now = context.now();
      problem.hidden = state.problem === null;
      problem.textContent = state.problem === null ? '' : `! ${state.problem.message}`;

      renderAccount(state, settings.settings.account.clientId !== null);
      renderSession(state.session, state, now);
      renderLastClear(state, now);

      const signedIn = state.account.kind === 'signed-in';
      setButton.disabled = !signedIn;
      pauseButton.disabled = !signedIn;
      clearButton.disabled = !signedIn;
      actionsHint.textContent = signedIn ? 'Clear ends the session now. Pause also stops the keep-alive until you set presence again.' : 'Sign in to set or clear presence.';
    },
  };
}
