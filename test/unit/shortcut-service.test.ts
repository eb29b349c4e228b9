import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { ShortcutRegistry } from '../../main/core/ports.ts';
import { CLEAR_COMMAND, shortcutAvailability, type ShortcutAvailability } from '../../main/core/shortcut/availability.ts';
import { ShortcutService } from '../../main/core/shortcut/shortcut-service.ts';
import { MemoryLog } from '../fakes/logger.ts';

/** An in-memory `ShortcutRegistry`: accelerators in `ownedElsewhere` clash, like another app's. */
class FakeShortcutRegistry implements ShortcutRegistry {
  readonly registered = new Map<string, () => void>();
  readonly ownedElsewhere = new Set<string>();
  readonly calls: string[] = [];
  supported = true;
  throwOnRegister = false;

  register(accelerator: string, callback: () => void): boolean {
    this.calls.push(`register ${accelerator}`);
    if (this.throwOnRegister) {
      throw new Error(`conversion failure for ${accelerator}`);
    }
    if (this.ownedElsewhere.has(accelerator) || this.registered.has(accelerator)) {
      return false;
    }
    this.registered.set(accelerator, callback);
    return true;
  }

  unregister(accelerator: string): void {
    this.calls.push(`unregister ${accelerator}`);
    this.registered.delete(accelerator);
  }

  isSupported(): boolean {
    return this.supported;
  }

  /** Presses a key; returns whether a callback ran. */
  press(accelerator: string): boolean {
    const callback = this.registered.get(accelerator);
    callback?.();
    return callback !== undefined;
  }
}

const NATIVE: ShortcutAvailability = { kind: 'native', reason: 'The X11 server grabs the keys directly.' };
const PORTAL = shortcutAvailability('linux', { XDG_SESSION_TYPE: 'wayland' }, 45, { desktopName: 'io.github.presencetray.PresenceTray' });
const UNSUPPORTED = shortcutAvailability('linux', { XDG_SESSION_TYPE: 'wayland' }, 45, { ozonePlatform: 'x11' });

function setup(availability: ShortcutAvailability = NATIVE) {
  const registry = new FakeShortcutRegistry();
  const log = new MemoryLog();
  let presses = 0;
  const service = new ShortcutService({
    registry,
    availability,
    logger: log.logger,
    onPress: () => {
      presses += 1;
    },
  });
  return { registry, log, service, presses: () => presses };
}

describe('shortcut service', () => {
  it('starts disabled', () => {
    const { service } = setup();
    assert.equal(service.status().state, 'disabled');
  });

  it('registers normalized accelerator', () => {
    const { service, registry } = setup();
    const status = service.apply('ctrl+alt+c');

    assert.equal(status.state, 'registered');
    assert.equal(status.active, 'Control+Alt+C');
    assert.equal(status.confirmed, true);
    assert.equal(status.fallbackCommand, null);
    assert.deepEqual([...registry.registered.keys()], ['Control+Alt+C']);
  });

  it('press calls onPress', () => {
    const { service, registry, presses } = setup();
    service.apply('Control+Alt+C');

    assert.equal(registry.press('Control+Alt+C'), true);
    assert.equal(presses(), 1);
  });

  it('invalid keeps old binding', () => {
    const { service, registry } = setup();
    service.apply('Control+Alt+C');
    const status = service.apply('Control+Foo');

    assert.equal(status.state, 'invalid');
    assert.equal(status.requested, 'Control+Foo');
    assert.equal(status.active, 'Control+Alt+C');
    assert.match(status.message, /"Foo" is not a key/);
    assert.match(status.message, /Control\+Alt\+C still works/);
    assert.equal(registry.registered.has('Control+Alt+C'), true);
  });

  it('clash keeps old binding', () => {
    const { service, registry, log } = setup();
    registry.ownedElsewhere.add('Control+Alt+X');
    service.apply('Control+Alt+C');
    const status = service.apply('Control+Alt+X');

    assert.equal(status.state, 'clash');
    assert.equal(status.active, 'Control+Alt+C');
    assert.match(status.message, /Control\+Alt\+X is already used by another application/);
    assert.equal(registry.registered.has('Control+Alt+C'), true);
    assert.equal(registry.calls.includes('unregister Control+Alt+C'), false);
    assert.match(log.text(), /shortcut taken by another application/);
  });

  it('clash with nothing before', () => {
    const { service, registry } = setup();
    registry.ownedElsewhere.add('Control+Alt+X');
    const status = service.apply('Control+Alt+X');

    assert.equal(status.state, 'clash');
    assert.equal(status.active, null);
    assert.doesNotMatch(status.message, /still works/);
  });

  it('change registers new before dropping old', () => {
    const { service, registry } = setup();
    service.apply('Control+Alt+C');
    service.apply('Control+Alt+V');

    assert.deepEqual(registry.calls, ['register Control+Alt+C', 'register Control+Alt+V', 'unregister Control+Alt+C']);
    assert.deepEqual([...registry.registered.keys()], ['Control+Alt+V']);
  });

  it('same accelerator is a no-op', () => {
    const { service, registry } = setup();
    service.apply('Control+Alt+C');
    const status = service.apply('ctrl+ALT+c');

    assert.equal(status.state, 'registered');
    assert.deepEqual(registry.calls, ['register Control+Alt+C']);
  });

  it('register throwing keeps old binding', () => {
    const { service, registry } = setup();
    service.apply('Control+Alt+C');
    registry.throwOnRegister = true;
    const status = service.apply('Control+Alt+V');

    assert.equal(status.state, 'invalid');
    assert.equal(status.active, 'Control+Alt+C');
    assert.match(status.message, /Electron rejected shortcut Control\+Alt\+V/);
  });

  it('null disables', () => {
    const { service, registry } = setup();
    service.apply('Control+Alt+C');
    const status = service.apply(null);

    assert.equal(status.state, 'disabled');
    assert.equal(status.active, null);
    assert.equal(registry.registered.size, 0);
  });

  it('dispose unregisters', () => {
    const { service, registry } = setup();
    service.apply('Control+Alt+C');
    service.dispose();

    assert.equal(registry.registered.size, 0);
  });
});

describe('shortcut service on limited desktops', () => {
  it('unsupported offers clear command', () => {
    const { service, registry } = setup(UNSUPPORTED);
    const status = service.apply('Control+Alt+C');

    assert.equal(status.state, 'unsupported');
    assert.equal(status.fallbackCommand, CLEAR_COMMAND);
    assert.match(status.message, /XWayland/);
    assert.match(status.message, /Bind the command "presence-tray clear" to Control\+Alt\+C/);
    assert.equal(registry.calls.length, 0);
  });

  it('registry unsupported', () => {
    const { service, registry } = setup();
    registry.supported = false;
    const status = service.apply('Control+Alt+C');

    assert.equal(status.state, 'unsupported');
    assert.equal(status.fallbackCommand, CLEAR_COMMAND);
    assert.equal(registry.calls.length, 0);
  });

  it('portal registration unconfirmed', () => {
    const { service } = setup(PORTAL);
    const status = service.apply('Control+Alt+C');

    assert.equal(status.state, 'registered');
    assert.equal(status.confirmed, false);
    assert.equal(status.fallbackCommand, CLEAR_COMMAND);
    assert.match(status.message, /may ask you to approve it/);
  });

  it('portal confirmation', () => {
    const { service } = setup(PORTAL);
    service.apply('Control+Alt+C');
    const status = service.handleRegistrationResolved('Control+Alt+C', true);

    assert.equal(status.state, 'registered');
    assert.equal(status.confirmed, true);
    assert.equal(status.fallbackCommand, null);
  });

  it('portal confirmation survives reapply', () => {
    const { service } = setup(PORTAL);
    service.apply('Control+Alt+C');
    service.handleRegistrationResolved('Control+Alt+C', true);

    assert.equal(service.apply('Control+Alt+C').confirmed, true);
  });

  it('portal denial', () => {
    const { service, registry } = setup(PORTAL);
    service.apply('Control+Alt+C');
    const status = service.handleRegistrationResolved('Control+Alt+C', false);

    assert.equal(status.state, 'unsupported');
    assert.equal(status.active, null);
    assert.equal(status.fallbackCommand, CLEAR_COMMAND);
    assert.match(status.message, /did not allow Control\+Alt\+C/);
    assert.equal(registry.registered.size, 0);
  });

  it('portal answer for old accelerator ignored', () => {
    const { service } = setup(PORTAL);
    service.apply('Control+Alt+C');
    service.apply('Control+Alt+V');
    const status = service.handleRegistrationResolved('Control+Alt+C', false);

    assert.equal(status.active, 'Control+Alt+V');
    assert.equal(status.state, 'registered');
  });
});
