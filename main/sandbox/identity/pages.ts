/** The HTML the identity endpoints serve in place of Microsoft's sign-in pages. */

import { escapeHtml } from '../http-io.ts';

/**
 * The page Entra returns for `response_mode=form_post`: a form that posts the response fields
 * to the redirect URI as soon as it loads.
 */
export function formPostPage(redirectUri: string, fields: Record<string, string>): string {
  const inputs = Object.entries(fields)
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}" />`)
    .join('\n      ');

  return `<!DOCTYPE html>
<html>
  <head><meta charset="utf-8" /><title>Working...</title></head>
  <body onload="document.forms[0].submit()">
    <form method="POST" name="hiddenform" action="${escapeHtml(redirectUri)}">
      ${inputs}
      <noscript><p>Script is disabled. Select Continue to finish signing in.</p><input type="submit" value="Continue" /></noscript>
    </form>
  </body>
</html>
`;
}

/**
 * Renders the error page for a request that cannot go back to the app (unknown client, bad
 * redirect URI). `completeSandboxSignIn` reads the message from the element with id `error`.
 */
export function errorPage(title: string, message: string): string {
  return `<!DOCTYPE html>
<html>
  <head><meta charset="utf-8" /><title>${escapeHtml(title)}</title></head>
  <body>
    <h1>${escapeHtml(title)}</h1>
    <p id="error">${escapeHtml(message)}</p>
  </body>
</html>
`;
}

/** Renders the page at `verification_uri` where a person enters a device code. */
export function deviceLoginPage(notice: string | null): string {
  const noticeHtml = notice === null ? '' : `<p id="notice">${escapeHtml(notice)}</p>`;
  return `<!DOCTYPE html>
<html>
  <head><meta charset="utf-8" /><title>Enter code - Presence Tray sandbox</title></head>
  <body>
    <h1>Enter code</h1>
    ${noticeHtml}
    <form method="POST" action="/devicelogin">
      <label>Code <input name="user_code" autocomplete="off" autofocus /></label>
      <input type="submit" value="Next" />
    </form>
  </body>
</html>
`;
}

export function messagePage(title: string, message: string): string {
  return `<!DOCTYPE html>
<html>
  <head><meta charset="utf-8" /><title>${escapeHtml(title)}</title></head>
  <body><h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p></body>
</html>
`;
}
