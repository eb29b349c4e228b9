/**
 * Human labels for presence values, used by the tray menu, the tooltip and the tray docs.
 * Graph sends availability and activity as free strings (PascalCase in responses, lower camel
 * case on some doc pages), so lookups ignore case and unknown values are split into words.
 */

import type { PresencePair } from '../presence/pairs.ts';

/** Labels of the pairs the app can set, as the Set presence menu shows them. */
const SESSION_PAIR_LABELS: ReadonlyMap<string, string> = new Map<string, string>([
  ['available/available', 'Available'],
  ['busy/inacall', 'Busy (in a call)'],
  ['busy/inaconferencecall', 'Busy (in a conference call)'],
  ['away/away', 'Away'],
  ['donotdisturb/presenting', 'Do not disturb (presenting)'],
]);

/** Teams labels per pair, from Microsoft's table of Teams presence and Graph values. */
const TEAMS_LABELS: ReadonlyMap<string, string> = new Map<string, string>([
  ['available/available', 'Available'],
  ['available/outofoffice', 'Available, out of office'],
  ['busy/busy', 'Busy'],
  ['busy/inacall', 'In a call'],
  ['busy/inaconferencecall', 'In a conference call'],
  ['busy/inameeting', 'In a meeting'],
  ['donotdisturb/donotdisturb', 'Do not disturb'],
  ['donotdisturb/presenting', 'Presenting'],
  ['away/away', 'Away'],
  ['berightback/berightback', 'Be right back'],
  ['offline/offwork', 'Appear offline'],
  ['offline/offline', 'Offline'],
  ['presenceunknown/presenceunknown', 'Unknown'],
]);

function pairKey(pair: PresencePair): string {
  return `${pair.availability}/${pair.activity}`.toLowerCase();
}

/** Splits a PascalCase or camelCase value into words: "BeRightBack" becomes "Be right back". */
export function valueToWords(value: string): string {
  const words = value
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function fallbackLabel(pair: PresencePair): string {
  const availability = valueToWords(pair.availability);
  if (pair.activity.toLowerCase() === pair.availability.toLowerCase()) {
    return availability;
  }
  return `${availability} (${valueToWords(pair.activity).toLowerCase()})`;
}

/** Returns the menu label of a pair the app sets, such as "Busy (in a call)". */
export function sessionPairLabel(pair: PresencePair): string {
  return SESSION_PAIR_LABELS.get(pairKey(pair)) ?? fallbackLabel(pair);
}

/** Returns what Teams shows for a pair read back from Graph, such as "In a call". */
export function teamsLabel(pair: PresencePair): string {
  return TEAMS_LABELS.get(pairKey(pair)) ?? fallbackLabel(pair);
}

/** Returns whether two pairs are the same presence, ignoring the case differences Graph produces. */
export function samePair(a: PresencePair, b: PresencePair): boolean {
  return pairKey(a) === pairKey(b);
}
