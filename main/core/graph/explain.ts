/**
 * Messages for failed Graph calls: what failed, on which presence, and what to do next.
 * Kept apart from the client so the wording can be read and tested in one place.
 */

import type { DeniedReason, GraphErrorKind } from './errors.ts';

/** Tenant ID of personal Microsoft accounts (Entra's "consumers" tenant). */
export const CONSUMER_TENANT_ID = '9188040d-6c67-4c5b-b112-36a304b66dad';

export interface SignedInAccount {
  /** Entra object ID (`oid`), the presence ID of the signed-in user. */
  objectId: string;
  tenantId: string;
}

/** Returns the likely reason Graph rejected the token (401 after a refresh, or 403). */
export function deniedReasonFor(
  status: 401 | 403,
  presenceId: string,
  account: SignedInAccount | null,
): DeniedReason {
  if (account !== null && account.objectId.toLowerCase() !== presenceId.toLowerCase()) {
    return 'account-mismatch';
  }
  if (account !== null && account.tenantId.toLowerCase() === CONSUMER_TENANT_ID) {
    return 'personal-account';
  }
  return status === 403 ? 'missing-permission' : 'token-rejected';
}

export interface FailureFacts {
  kind: GraphErrorKind;
  action: string;
  presenceId: string;
  status: number | null;
  graphCode: string | null;
  graphMessage: string | null;
  attempts: number;
  retryAfterMs?: number;
  deniedReason?: DeniedReason;
  account: SignedInAccount | null;
  /** The transport's message for network errors and timeouts. */
  transportMessage?: string;
}

function statusText(facts: FailureFacts): string {
  const code = facts.graphCode === null ? '' : ` ${facts.graphCode}`;
  // Graph's own message usually ends with a period, and the sentence built around it adds one.
  const message = facts.graphMessage === null ? '' : `: ${facts.graphMessage.replace(/[.\s]+$/, '')}`;
  return `${facts.status ?? 'no status'}${code}${message}`;
}

function attemptsText(attempts: number): string {
  return attempts === 1 ? '1 attempt' : `${attempts} attempts`;
}

function explainDenied(facts: FailureFacts): string {
  const head = `Graph rejected ${facts.action} on presence ${facts.presenceId} with ${statusText(facts)}.`;

  switch (facts.deniedReason) {
    case 'account-mismatch':
      return (
        `${head} A delegated token reaches only the signed-in user's presence ` +
        `(${facts.account?.objectId ?? 'unknown'}), not another user's. ` +
        'Leave out --presence-id, or sign in as the user who owns that presence.'
      );
    case 'personal-account':
      return (
        `${head} Personal Microsoft accounts have no Teams presence in Graph. ` +
        'Sign in with a work or school account.'
      );
    case 'missing-permission':
      return (
        `${head} The token lacks the Presence.ReadWrite permission, or a Conditional Access policy blocked it. ` +
        'Ask a tenant admin to grant Presence.ReadWrite to this app, then sign in again.'
      );
    case 'token-rejected':
    case undefined:
      return `${head} The access token was rejected even after a refresh. Sign out and sign in again.`;
  }
}

/** Builds the message for a failed call; `GraphError` appends the request ids. */
export function explainFailure(facts: FailureFacts): string {
  const target = `${facts.action} on presence ${facts.presenceId}`;
  const tries = attemptsText(facts.attempts);

  switch (facts.kind) {
    case 'unauthorized':
    case 'forbidden':
      return explainDenied(facts);
    case 'bad-request':
      return `Graph rejected ${target} with ${statusText(facts)}. Check the values sent (presence pair, duration, session ID).`;
    case 'not-found':
      return `Graph found no presence for ${target} (${statusText(facts)}). Check that the presence ID is the user's Entra object ID.`;
    case 'throttled': {
      const wait = facts.retryAfterMs === undefined ? '' : ` and asked to wait ${Math.ceil(facts.retryAfterMs / 1000)} s`;
      return `Graph throttled ${target}${wait}, which is past the time allowed for it (${tries}). Try again later.`;
    }
    case 'server':
      return `Graph failed ${target} with ${statusText(facts)} after ${tries}. Try again in a few minutes.`;
    case 'network':
      return `Could not reach Graph for ${target} after ${tries}: ${facts.transportMessage ?? 'network error'}. Check the network connection and proxy.`;
    case 'timeout':
      return `${target} did not finish in the time allowed for it (${tries}). Check the network connection, then try again.`;
    case 'aborted':
      return `${target} was cancelled after ${tries}.`;
  }
}
