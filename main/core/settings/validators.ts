/**
 * Validators for the values a user types into the settings window. The window runs them as the
 * user types, and the main process runs the same ones on every settings file and update, so both
 * sides agree. This file must stay free of Node and Electron imports because the renderer
 * bundles it.
 */

export type Validation<T> = { ok: true; value: T } | { ok: false; message: string };

/** The tenant ID of personal Microsoft accounts (MSA). Presence is not available for them. */
export const CONSUMER_TENANT_ID = '9188040d-6c67-4c5b-b112-36a304b66dad';

/** A GUID in the 8-4-4-4-12 hex form that Entra shows for client and tenant IDs. */
export const GUID_PATTERN = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';

/**
 * A DNS name of two or more labels, such as contoso.onmicrosoft.com. Each label has 1 to 63
 * letters, digits or inner hyphens, and the last label is letters only.
 */
const DOMAIN_BODY = '(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\\.)+[a-zA-Z]{2,63}';

/** Longest DNS name (RFC 1035). */
export const MAX_DOMAIN_LENGTH = 253;

/** Example shown in messages, so users see the expected form. */
const EXAMPLE_GUID = '00000000-0000-0000-0000-000000000000';

const guidRegex = new RegExp(GUID_PATTERN);
const domainRegex = new RegExp(`^${DOMAIN_BODY}$`);

/** Returns the pattern with each letter written as a class of both cases, for case-insensitive lookaheads. */
function anyCase(literal: string): string {
  return literal.replace(/[a-z]/g, (letter) => `[${letter}${letter.toUpperCase()}]`);
}

/**
 * The JSON Schema pattern for a tenant. It is the same rule as `validateTenant`: a GUID other
 * than the personal-account tenant, a verified domain, or `organizations`. JSON Schema patterns
 * have no flags, so the lookahead spells out both cases.
 */
export const TENANT_PATTERN = `^(?!${anyCase(CONSUMER_TENANT_ID)}$)(?:organizations|${GUID_PATTERN.slice(1, -1)}|${DOMAIN_BODY})$`;

/** Shortens a value for an error message, so a pasted page of text does not fill the window. */
export function describeValue(value: unknown): string {
  let text: string;
  if (value === undefined) {
    text = 'undefined';
  } else if (typeof value === 'string') {
    text = JSON.stringify(value);
  } else {
    try {
      text = JSON.stringify(value) ?? String(value);
    } catch {
      text = String(value);
    }
  }
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** Trims a typed ID and lowercases it; client IDs, tenant IDs and domain names ignore case. */
export function normalizeIdInput(text: string): string {
  return text.trim().toLowerCase();
}

/** Validates an Application (client) ID: a GUID from the app registration's Overview page. */
export function validateClientId(input: unknown): Validation<string> {
  const where = 'Copy the Application (client) ID from the Overview page of your app registration in the Microsoft Entra admin center';
  if (typeof input !== 'string' || input === '') {
    return { ok: false, message: `Client ID is missing. ${where}.` };
  }
  if (!guidRegex.test(input)) {
    return {
      ok: false,
      message: `Client ID ${describeValue(input)} is not a GUID. ${where}; it looks like ${EXAMPLE_GUID}.`,
    };
  }
  return { ok: true, value: input };
}

/**
 * Validates a tenant: a tenant ID (GUID), a verified domain such as contoso.onmicrosoft.com, or
 * `organizations` (any work or school account). `common`, `consumers` and the personal-account
 * tenant ID are rejected because Graph presence works only for work or school accounts.
 */
export function validateTenant(input: unknown): Validation<string> {
  const fix = 'Enter your tenant ID, a verified domain such as contoso.onmicrosoft.com, or organizations';
  if (typeof input !== 'string' || input === '') {
    return { ok: false, message: `Tenant is missing. ${fix}.` };
  }

  const lower = input.toLowerCase();
  const personal = 'Presence works only for work or school accounts, and this tenant also signs in personal Microsoft accounts';
  if (lower === 'common') {
    return { ok: false, message: `Tenant "common" is not supported. ${personal}. Use organizations or your own tenant.` };
  }
  if (lower === 'consumers' || lower === CONSUMER_TENANT_ID) {
    return {
      ok: false,
      message: `Tenant ${describeValue(input)} is for personal Microsoft accounts, which have no Teams presence. Use organizations or your work or school tenant.`,
    };
  }
  if (input.includes('/') || input.includes(':')) {
    return { ok: false, message: `Tenant ${describeValue(input)} looks like a URL. ${fix}, without https:// or a path.` };
  }

  if (input === 'organizations' || guidRegex.test(input)) {
    return { ok: true, value: input };
  }
  if (input.length <= MAX_DOMAIN_LENGTH && domainRegex.test(input)) {
    return { ok: true, value: input };
  }
  return { ok: false, message: `Tenant ${describeValue(input)} is not a tenant ID, a domain name or organizations. ${fix}.` };
}

/**
 * Validates the session ID override. Graph expects the calling app's client ID as the session
 * ID, so the override is a GUID; null means "use the client ID".
 */
export function validateSessionIdOverride(input: unknown): Validation<string | null> {
  if (input === null) {
    return { ok: true, value: null };
  }
  if (typeof input !== 'string' || !guidRegex.test(input)) {
    return {
      ok: false,
      message: `Session ID ${describeValue(input)} is not a GUID. Graph expects the application (client) ID of the app that sets presence; leave it empty to use the client ID.`,
    };
  }
  return { ok: true, value: input };
}

/** Self-expiry bounds in minutes: `setPresence` accepts an expirationDuration from PT5M to PT4H. */
export const SELF_EXPIRY_MINUTES = { min: 5, max: 240 } as const;

/** Validates the self-expiry bound: a whole number of minutes from 5 to 240. */
export function validateSelfExpiryMinutes(input: unknown): Validation<number> {
  const { min, max } = SELF_EXPIRY_MINUTES;
  const fix = `Use a whole number of minutes from ${min} to ${max}, the range Graph accepts for expirationDuration`;
  if (typeof input !== 'number' || !Number.isInteger(input)) {
    return { ok: false, message: `Self-expiry ${describeValue(input)} is not a whole number. ${fix}.` };
  }
  if (input < min || input > max) {
    return { ok: false, message: `Self-expiry ${input} minutes is out of range. ${fix}.` };
  }
  return { ok: true, value: input };
}

/**
 * Largest clear budget accepted. The OS waits about 5 s at most: logind's default
 * InhibitDelayMaxSec for shutdown, and Windows before it lets the user force a shutdown.
 */
// NOTE: 10 s leaves room for a slow quit on a desktop; no OS deadline was measured for it.
export const MAX_BUDGET_MS = 10_000;
/** Smallest clear budget accepted, so a typo such as 1 cannot turn a clear into a no-op. */
export const MIN_BUDGET_MS = 100;

/** Validates a clear budget in ms for the quit, suspend, lock or shutdown trigger. */
export function validateBudgetMs(input: unknown): Validation<number> {
  if (typeof input !== 'number' || !Number.isInteger(input) || input < MIN_BUDGET_MS || input > MAX_BUDGET_MS) {
    return {
      ok: false,
      message: `Clear budget ${describeValue(input)} is invalid. Use a whole number of milliseconds from ${MIN_BUDGET_MS} to ${MAX_BUDGET_MS}.`,
    };
  }
  return { ok: true, value: input };
}

/** Maximum accelerator length accepted; every modifier plus the longest key name is 73 characters. */
export const MAX_ACCELERATOR_LENGTH = 100;
