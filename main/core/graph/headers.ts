/**
 * Extra request headers, the command line's `--header "Name: value"` (the cmdlet's -Headers).
 * Names that would change authentication or framing are rejected, because the client sets them.
 */

/** Header names the client owns; overriding them would break auth or HTTP framing. */
const RESERVED_HEADERS = new Set(['authorization', 'host', 'content-length', 'transfer-encoding', 'connection']);

/** RFC 9110 §5.1 field name: one or more `tchar`. */
const FIELD_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** RFC 9110 §5.5 field value: visible characters, spaces and tabs, no CR, LF or NUL. */
const FIELD_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

/** Raised for a malformed or reserved extra header. */
export class InvalidHeaderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidHeaderError';
  }
}

/** Throws unless `name: value` is a valid header that callers may set. */
export function assertExtraHeader(name: string, value: string): void {
  if (!FIELD_NAME.test(name)) {
    throw new InvalidHeaderError(
      `Invalid header name "${name}": use letters, digits and - only, for example "X-Ms-Trace: 1".`,
    );
  }
  if (RESERVED_HEADERS.has(name.toLowerCase())) {
    throw new InvalidHeaderError(
      `Header "${name}" cannot be overridden: the client sets it. Remove it from the extra headers.`,
    );
  }
  if (!FIELD_VALUE.test(value)) {
    throw new InvalidHeaderError(
      `Invalid value for header "${name}": line breaks and control characters are not allowed.`,
    );
  }
}

/** Parses `"Name: value"` into its parts, trimming spaces around the value. */
export function parseHeaderArgument(text: string): { name: string; value: string } {
  const colon = text.indexOf(':');
  if (colon === -1) {
    // The text is not echoed: a mistyped "Authorization Bearer ..." would put a token in the message.
    throw new InvalidHeaderError('Invalid header argument: missing ":". Write it as "Name: value".');
  }

  const name = text.slice(0, colon).trim();
  const value = text.slice(colon + 1).trim();
  if (name === '') {
    throw new InvalidHeaderError('Invalid header argument: the name before ":" is empty. Write it as "Name: value".');
  }

  assertExtraHeader(name, value);
  return { name, value };
}
