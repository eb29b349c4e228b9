/**
 * Plays the browser for an interactive sign-in against the sandbox: it opens the authorize
 * URL, reads the auto-submitting form_post page, and posts the form to the app's loopback
 * redirect, as a browser would with a user already signed in.
 */

import { sendRequest } from './http-client.ts';

export class SandboxSignInError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SandboxSignInError';
  }
}

/**
 * Completes the browser part of a sign-in. Pass it as MSAL's `openBrowser`:
 * `openBrowser: (url) => completeSandboxSignIn(url, sandbox.caPem)`. It resolves once the
 * loopback listener has the response, which may carry an error for MSAL to raise.
 */
export async function completeSandboxSignIn(authorizeUrl: string, ca: string): Promise<void> {
  const page = await sendRequest(authorizeUrl, { ca });
  const form = readFormPost(page.body);
  if (form === null) {
    const reason = readErrorText(page.body) ?? `status ${page.status}`;
    throw new SandboxSignInError(`The sandbox authorize page has no sign-in form to submit (${reason}).`);
  }

  // MSAL's loopback listener binds 127.0.0.1 only, while the redirect URI names localhost,
  // which may resolve to ::1 first.
  const target = new URL(form.action);
  if (target.hostname === 'localhost') {
    target.hostname = '127.0.0.1';
  }

  const answer = await sendRequest(target.toString(), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form.fields).toString(),
  });
  if (answer.status !== 200) {
    throw new SandboxSignInError(
      `The app's redirect listener at ${target.origin} returned ${answer.status} for the sign-in form: ${answer.body.slice(0, 200)}`,
    );
  }
}

interface FormPost {
  action: string;
  fields: Record<string, string>;
}

/** Reads the first form's action and hidden inputs from the form_post page. */
export function readFormPost(html: string): FormPost | null {
  const formTag = /<form\b[^>]*>/i.exec(html)?.[0];
  if (formTag === undefined) {
    return null;
  }
  const action = attribute(formTag, 'action');
  if (action === null) {
    return null;
  }

  const fields: Record<string, string> = {};
  for (const input of html.matchAll(/<input\b[^>]*>/gi)) {
    const tag = input[0];
    const name = attribute(tag, 'name');
    if (attribute(tag, 'type') === 'hidden' && name !== null) {
      fields[name] = attribute(tag, 'value') ?? '';
    }
  }
  return { action, fields };
}

function readErrorText(html: string): string | null {
  const match = /<p id="error">([^<]*)<\/p>/.exec(html);
  return match?.[1] === undefined ? null : unescapeHtml(match[1]);
}

function attribute(tag: string, name: string): string | null {
  const match = new RegExp(`\\b${name}="([^"]*)"`, 'i').exec(tag);
  return match?.[1] === undefined ? null : unescapeHtml(match[1]);
}

function unescapeHtml(text: string): string {
  return text
    .replaceAll('&quot;', '"')
    .replaceAll('&#39;', "'")
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&amp;', '&');
}
