/**
 * Proxy selection from the environment, the way curl and most Node tools read it:
 * `https_proxy` (or `HTTPS_PROXY`) names the proxy for https URLs, and `no_proxy` (or
 * `NO_PROXY`) lists hosts to reach directly.
 */

export type Environment = Readonly<Record<string, string | undefined>>;

/** Raised when HTTPS_PROXY is set to something that is not an http(s) URL. */
export class InvalidProxyError extends Error {
  constructor(variable: string, detail: string) {
    super(`Invalid proxy in ${variable}: ${detail}. Set it to a URL such as http://proxy.example.com:8080, or unset it.`);
    this.name = 'InvalidProxyError';
  }
}

function readVariable(env: Environment, name: string): { name: string; value: string } | null {
  // The lower-case spelling wins, as in curl, because it is the older convention.
  for (const candidate of [name.toLowerCase(), name.toUpperCase()]) {
    const value = env[candidate]?.trim();
    if (value !== undefined && value !== '') {
      return { name: candidate, value };
    }
  }
  return null;
}

/**
 * Parses the proxy for https URLs from `env`, or returns null when none is set.
 * A value without a scheme ("proxy:3128") means http, as curl reads it.
 */
export function readHttpsProxy(env: Environment): URL | null {
  const variable = readVariable(env, 'HTTPS_PROXY');
  if (variable === null) {
    return null;
  }

  const text = /^[a-z][a-z0-9+.-]*:\/\//i.test(variable.value) ? variable.value : `http://${variable.value}`;
  let proxy: URL;
  try {
    proxy = new URL(text);
  } catch {
    // The value may hold a password, so the message names the variable, not the value.
    throw new InvalidProxyError(variable.name, 'the value is not a URL');
  }
  if (proxy.protocol !== 'http:' && proxy.protocol !== 'https:') {
    throw new InvalidProxyError(variable.name, `scheme ${proxy.protocol} is not supported (use http: or https:)`);
  }
  return proxy;
}

function stripBrackets(host: string): string {
  return host.replace(/^\[|\]$/g, '');
}

function splitHostPort(entry: string): { host: string; port: string | null } {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
  if (bracketed !== null) {
    return { host: bracketed[1] ?? '', port: bracketed[2] ?? null };
  }
  const withPort = /^([^:]+):(\d+)$/.exec(entry);
  if (withPort !== null) {
    return { host: withPort[1] ?? '', port: withPort[2] ?? null };
  }
  return { host: entry, port: null };
}

/**
 * Returns true when `no_proxy` lists `target` for a direct connection. Entries are host names
 * (matching the host and its subdomains), `.domain` or `*.domain`, optional `:port`, and `*`
 * for every host.
 */
export function isProxyBypassed(target: URL, env: Environment): boolean {
  const variable = readVariable(env, 'NO_PROXY');
  if (variable === null) {
    return false;
  }

  const host = stripBrackets(target.hostname).toLowerCase();
  const defaultPort = target.protocol === 'https:' ? '443' : '80';
  const port = target.port === '' ? defaultPort : target.port;
  const entries = variable.value.split(/[\s,]+/).filter((entry) => entry !== '');

  for (const entry of entries) {
    if (entry === '*') {
      return true;
    }
    const parsed = splitHostPort(entry.toLowerCase());
    if (parsed.port !== null && parsed.port !== port) {
      continue;
    }
    // NOTE: CIDR ranges such as 10.0.0.0/8 are not supported; they match nothing.
    const suffix = stripBrackets(parsed.host).replace(/^\*?\./, '');
    if (suffix !== '' && (host === suffix || host.endsWith(`.${suffix}`))) {
      return true;
    }
  }
  return false;
}

/** Returns the proxy URL to use for `target`, or null to connect directly. */
export function selectProxy(target: URL, env: Environment): URL | null {
  const proxy = readHttpsProxy(env);
  if (proxy === null || target.protocol !== 'https:' || isProxyBypassed(target, env)) {
    return null;
  }
  return proxy;
}

/** Formats a proxy URL for display with any user name and password removed. */
export function redactProxyUrl(proxy: URL): string {
  return `${proxy.protocol}//${proxy.host}`;
}
