/** GetRandomPassword: characters from the classes asked for, drawn with node:crypto, each class present when required. */
import { randomInt } from 'node:crypto';
import { SecretsManagerErrors } from '../../wire/errors.js';

export interface PasswordOptions {
  length: number;
  excludeCharacters: string;
  excludeNumbers: boolean;
  excludePunctuation: boolean;
  excludeUppercase: boolean;
  excludeLowercase: boolean;
  includeSpace: boolean;
  requireEachIncludedType: boolean;
}

// Secrets Manager's punctuation set.
const PUNCTUATION = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~';

export function randomPassword(o: PasswordOptions): string {
  const keep = (chars: string) => [...chars].filter((c) => !o.excludeCharacters.includes(c)).join('');
  const classes = [
    o.excludeLowercase ? '' : keep('abcdefghijklmnopqrstuvwxyz'),
    o.excludeUppercase ? '' : keep('ABCDEFGHIJKLMNOPQRSTUVWXYZ'),
    o.excludeNumbers ? '' : keep('0123456789'),
    o.excludePunctuation ? '' : keep(PUNCTUATION),
    o.includeSpace ? keep(' ') : '',
  ].filter((c) => c.length > 0);
  const all = classes.join('');
  if (all.length === 0) throw SecretsManagerErrors.invalidParameter('The password has no characters to choose from.');
  if (o.requireEachIncludedType && classes.length > o.length) {
    throw SecretsManagerErrors.invalidParameter('The password length is too short to include every required character type.');
  }
  const chars = Array.from({ length: o.length }, () => all[randomInt(all.length)]!);
  if (o.requireEachIncludedType) {
    // One of each class at distinct random places, so that no class is missing.
    const places = new Set<number>();
    while (places.size < classes.length) places.add(randomInt(o.length));
    [...places].forEach((p, i) => (chars[p] = classes[i]![randomInt(classes[i]!.length)]!));
  }
  return chars.join('');
}
