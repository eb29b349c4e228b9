/**
 * Decides which IPC senders main responds to: the main frame of our own settings window showing
 * our own page, nothing else. Electron's security checklist asks for this check on every message,
 * because any frame that runs script in a renderer can call `ipcRenderer` through a preload.
 */

export interface IpcSender {
  /** `event.senderFrame.url` at the time of the message. */
  senderUrl: string;
  /** Whether the sending frame is the top frame (`senderFrame === sender.mainFrame`). */
  frameIsMain: boolean;
  /** `event.sender.id`. */
  webContentsId: number;
}

export interface TrustedSenders {
  /** `webContents.id` of each window main created for its own pages. */
  webContentsIds: ReadonlySet<number>;
  /** The page URLs those windows load, such as `file:///.../dist/renderer/index.html`. */
  pageUrls: readonly string[];
}

/** Schemes that load remote or script-made content; a page from them is never trusted. */
const UNTRUSTED_SCHEMES = new Set(['http:', 'https:', 'ws:', 'wss:', 'ftp:', 'data:', 'blob:', 'javascript:', 'about:', 'chrome:', 'devtools:']);

/** Returns the URL without query and fragment, or null when it does not parse. */
function pageOf(url: string): { scheme: string; page: string } | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  return { scheme: parsed.protocol, page: `${parsed.protocol}//${parsed.host}${parsed.pathname}` };
}

/**
 * Returns whether main should respond to `sender`: the main frame of a known window, showing one of
 * the trusted pages over a local scheme (`file:` or the app's own protocol). The URL is compared
 * after parsing, so `..` segments, a query or a fragment cannot pass for the page.
 */
export function isTrustedSender(sender: IpcSender, trusted: TrustedSenders): boolean {
  if (sender.frameIsMain !== true || !trusted.webContentsIds.has(sender.webContentsId)) {
    return false;
  }

  const page = pageOf(sender.senderUrl);
  if (page === null || UNTRUSTED_SCHEMES.has(page.scheme)) {
    return false;
  }
  return trusted.pageUrls.some((url) => pageOf(url)?.page === page.page);
}

/** Describes a sender for the log without its query or fragment, which a page could fill. */
export function describeSender(sender: IpcSender): string {
  const page = pageOf(sender.senderUrl);
  const where = page === null ? 'an unparsable URL' : page.page;
  return `webContents ${sender.webContentsId} (${sender.frameIsMain ? 'main frame' : 'subframe'}) at ${where}`;
}
