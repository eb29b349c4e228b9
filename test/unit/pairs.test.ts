import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  assertPreferredPair,
  assertSessionPair,
  InvalidPresencePairError,
  parseSessionAvailability,
} from '../../main/core/presence/pairs.ts';

test('session pair Busy/InACall accepted', () => {
  assert.doesNotThrow(() => assertSessionPair({ availability: 'Busy', activity: 'InACall' }));
});

test('session pair Busy/Busy rejected', () => {
  assert.throws(() => assertSessionPair({ availability: 'Busy', activity: 'Busy' }), InvalidPresencePairError);
});

test('pair error names the valid pairs', () => {
  try {
    assertSessionPair({ availability: 'Busy', activity: 'Busy' });
    assert.fail('expected a throw');
  } catch (error) {
    assert.match(String(error), /Busy\/Busy/);
    assert.match(String(error), /Busy\/InACall/);
    assert.match(String(error), /Available\/Available/);
  }
});

test('preferred pair Busy/Busy accepted', () => {
  assert.doesNotThrow(() => assertPreferredPair({ availability: 'Busy', activity: 'Busy' }));
});

test('preferred pair Busy/InACall rejected', () => {
  assert.throws(() => assertPreferredPair({ availability: 'Busy', activity: 'InACall' }), InvalidPresencePairError);
});

test('availability parsed in any case', () => {
  assert.equal(parseSessionAvailability('donotdisturb'), 'DoNotDisturb');
  assert.equal(parseSessionAvailability('Offline'), null);
});
