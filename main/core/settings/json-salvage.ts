/**
 * A lenient JSON reader for damaged settings files. It reads a JSON text from the start and
 * keeps every member that was complete before the first error, so a file cut off by a crash
 * mid-write still gives back the settings written before the cut.
 */

/** Deeper nesting than any settings file has; it bounds the recursion on hostile input. */
const MAX_DEPTH = 32;

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const LITERALS: ReadonlyArray<[string, unknown]> = [
  ['true', true],
  ['false', false],
  ['null', null],
];

/** A parsed value; `complete` is false when the text ended or broke inside it. */
interface Parsed {
  value: unknown;
  complete: boolean;
}

class Salvager {
  private position = 0;

  constructor(private readonly text: string) {}

  parseValue(depth: number): Parsed | null {
    this.skipWhitespace();
    const char = this.text[this.position];
    if (char === '{') {
      return depth >= MAX_DEPTH ? null : this.parseObject(depth);
    }
    if (char === '[') {
      return depth >= MAX_DEPTH ? null : this.parseArray(depth);
    }
    if (char === '"') {
      return this.parseString();
    }
    return this.parseScalar();
  }

  private skipWhitespace(): void {
    while (this.position < this.text.length && ' \t\r\n'.includes(this.text[this.position] ?? '')) {
      this.position += 1;
    }
  }

  private parseObject(depth: number): Parsed {
    const result: Record<string, unknown> = {};
    this.position += 1;
    this.skipWhitespace();
    if (this.text[this.position] === '}') {
      this.position += 1;
      return { value: result, complete: true };
    }

    for (;;) {
      this.skipWhitespace();
      const key = this.text[this.position] === '"' ? this.parseString() : null;
      if (key === null || !key.complete || typeof key.value !== 'string') {
        return { value: result, complete: false };
      }
      this.skipWhitespace();
      if (this.text[this.position] !== ':') {
        return { value: result, complete: false };
      }
      this.position += 1;

      const member = this.parseValue(depth + 1);
      if (member === null) {
        return { value: result, complete: false };
      }
      if (member.complete || isContainer(member.value)) {
        // defineProperty keeps a "__proto__" key as data, the way JSON.parse does.
        Object.defineProperty(result, key.value, { value: member.value, enumerable: true, writable: true, configurable: true });
      }
      if (!member.complete) {
        return { value: result, complete: false };
      }

      this.skipWhitespace();
      const next = this.text[this.position];
      this.position += 1;
      if (next === '}') {
        return { value: result, complete: true };
      }
      if (next !== ',') {
        return { value: result, complete: false };
      }
    }
  }

  private parseArray(depth: number): Parsed {
    const result: unknown[] = [];
    this.position += 1;
    this.skipWhitespace();
    if (this.text[this.position] === ']') {
      this.position += 1;
      return { value: result, complete: true };
    }

    for (;;) {
      const item = this.parseValue(depth + 1);
      if (item === null) {
        return { value: result, complete: false };
      }
      if (item.complete || isContainer(item.value)) {
        result.push(item.value);
      }
      if (!item.complete) {
        return { value: result, complete: false };
      }

      this.skipWhitespace();
      const next = this.text[this.position];
      this.position += 1;
      if (next === ']') {
        return { value: result, complete: true };
      }
      if (next !== ',') {
        return { value: result, complete: false };
      }
    }
  }

  private parseString(): Parsed | null {
    const start = this.position;
    let index = start + 1;
    while (index < this.text.length) {
      const char = this.text[index];
      if (char === '\\') {
        index += 2;
        continue;
      }
      if (char === '"') {
        try {
          const value: unknown = JSON.parse(this.text.slice(start, index + 1));
          this.position = index + 1;
          return { value, complete: true };
        } catch {
          return null;
        }
      }
      index += 1;
    }
    return null;
  }

  private parseScalar(): Parsed | null {
    for (const [word, value] of LITERALS) {
      if (this.text.startsWith(word, this.position)) {
        this.position += word.length;
        return { value, complete: true };
      }
    }

    NUMBER.lastIndex = this.position;
    const match = NUMBER.exec(this.text);
    if (match === null) {
      return null;
    }
    this.position += match[0].length;
    // A number that runs into the end of the text may have lost digits to the cut.
    if (this.position >= this.text.length) {
      return null;
    }
    return { value: Number(match[0]), complete: true };
  }
}

function isContainer(value: unknown): boolean {
  return typeof value === 'object' && value !== null;
}

/**
 * Reads the intact part of a damaged JSON text. Returns the value with the members that were
 * complete before the first error, or undefined when not even the outer value could start.
 */
export function salvageJson(text: string): unknown {
  const parsed = new Salvager(text).parseValue(0);
  return parsed === null ? undefined : parsed.value;
}
