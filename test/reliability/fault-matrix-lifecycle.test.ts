/**
 * Fault matrix, second share: shutdown, the keep-alive tick, resume and a wall-clock jump,
 * each crossed with every fault.
 */

import { describeMatrix } from './support/matrix-suite.ts';

describeMatrix(['shutdown', 'keep-alive', 'resume', 'clock-jump']);
