/**
 * Fault matrix, first share: the triggers that clear and keep the app running or quit it.
 * Every fault crossed with tray clear, shortcut, quit, suspend and lock.
 */

import { describeMatrix } from './support/matrix-suite.ts';

describeMatrix(['tray', 'shortcut', 'quit', 'suspend', 'lock']);
