/**
 * Bundle entry for "our clear path" in a fresh process: the app core that a clear runs through
 * (`PresenceApp`, the session, the Graph client, the Node transport, the journal, the logger).
 * The benchmark bundles it twice, once with MSAL replaced by a stub to weigh everything else,
 * and once with the real MSAL.
 */

export { PresenceApp } from '../../../main/core/app.ts';
export { PresenceClient } from '../../../main/core/graph/presence-client.ts';
export { createNodeTransport } from '../../../main/core/net/node-transport.ts';
export { createJournalStore } from '../../../main/core/node/journal-store.ts';
export { createNodeBlobFile } from '../../../main/core/node/blob-file.ts';
export { systemClock } from '../../../main/core/node/clock.ts';
export { createLogger } from '../../../main/core/log.ts';
