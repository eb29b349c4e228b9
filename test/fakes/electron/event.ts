/** Electron's `Event` as fakes emit it: `preventDefault` sets `defaultPrevented`. */

import type { Event as ElectronEvent } from 'electron';

export interface FakeEvent extends ElectronEvent {
  defaultPrevented: boolean;
}

export function createFakeEvent<Extra extends object>(extra?: Extra): FakeEvent & Extra {
  const event = {
    defaultPrevented: false,
    preventDefault() {
      event.defaultPrevented = true;
    },
    ...extra,
  };
  return event as FakeEvent & Extra;
}
