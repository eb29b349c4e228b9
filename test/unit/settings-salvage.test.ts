import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import fc from 'fast-check';

import { salvageJson } from '../../main/core/settings/json-salvage.ts';
import { DEFAULT_SETTINGS } from '../../main/core/settings/settings.ts';

describe('salvageJson', () => {
  const cases: Array<[string, string, unknown]> = [
    ['cut in a string', '{"a":1,"b":"hel', { a: 1 }],
    ['cut after a colon', '{"a":1,"b":', { a: 1 }],
    ['cut in a number', '{"a":1,"b":12', { a: 1 }],
    ['cut in a literal', '{"a":1,"b":tru', { a: 1 }],
    ['cut in a nested object', '{"a":{"x":1,"y":2,', { a: { x: 1, y: 2 } }],
    ['number at the cut dropped', '{"a":{"x":1,"y":2', { a: { x: 1 } }],
    ['cut in an array', '{"a":[1,2,', { a: [1, 2] }],
    ['garbage after a member', '{"a":1 ### "b":2}', { a: 1 }],
    ['zero bytes at the end', '{"a":true,\u0000\u0000\u0000', { a: true }],
    ['escaped quote', '{"a":"say \\"hi\\"","b', { a: 'say "hi"' }],
    ['complete text', '{"a":[true,null,-1.5e2]}', { a: [true, null, -150] }],
    ['not JSON', 'hello', undefined],
    ['empty', '', undefined],
  ];
  for (const [name, text, expected] of cases) {
    test(name, () => {
      assert.deepEqual(salvageJson(text), expected);
    });
  }

  test('__proto__ stays data', () => {
    const value = salvageJson('{"__proto__":{"polluted":true},"a":1,') as Record<string, unknown>;
    assert.equal(Object.getPrototypeOf(value), Object.prototype);
    assert.deepEqual(Object.keys(value), ['__proto__', 'a']);
  });

  test('deep nesting is bounded', () => {
    assert.doesNotThrow(() => salvageJson('['.repeat(100_000)));
  });

  test('every prefix of settings parses', () => {
    const text = JSON.stringify(DEFAULT_SETTINGS, null, 2);
    for (let length = 0; length <= text.length; length += 1) {
      assert.doesNotThrow(() => salvageJson(text.slice(0, length)), `prefix of length ${length}`);
    }
  });

  test('salvage equals parse for valid JSON', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), (value) => {
        const text = JSON.stringify(value);
        // A bare number at the very end may have lost digits, so the salvage drops it.
        fc.pre(typeof value !== 'number');
        assert.deepEqual(salvageJson(text), JSON.parse(text));
      }),
      { numRuns: 300 },
    );
  });

  test('prefix keeps only complete members', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string({ maxLength: 8 }), fc.oneof(fc.integer(), fc.boolean(), fc.string({ maxLength: 8 }))), fc.nat(), (object, cut) => {
        const text = JSON.stringify(object);
        const salvaged = salvageJson(text.slice(0, cut % (text.length + 1)));
        if (salvaged === undefined) {
          return;
        }
        for (const [key, value] of Object.entries(salvaged as Record<string, unknown>)) {
          assert.deepEqual(value, object[key], `member ${JSON.stringify(key)}`);
        }
      }),
      { numRuns: 300 },
    );
  });
});
