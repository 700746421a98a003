/** Ids in API Gateway's shapes: lowercase letters and digits (API ids, 10 of them, share one namespace with HTTP APIs). */
import { randomInt } from 'node:crypto';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
const KEY_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

const draw = (alphabet: string, length: number): string => {
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[randomInt(alphabet.length)];
  return out;
};

/** An API id (`a1b2c3d4e5`), also the host label of `<id>.execute-api...`. */
export const newApiId = (): string => draw(ALPHABET, 10);
/** Resource, deployment, authorizer and usage plan ids are shorter on AWS. */
export const newShortId = (): string => draw(ALPHABET, 6);
/** An API key's id. */
export const newKeyId = (): string => draw(ALPHABET, 10);
/** An API key's value, as AWS generates them: 40 letters and digits. */
export const newKeyValue = (): string => draw(KEY_ALPHABET, 40);
