/** Opaque page tokens: the last name of the page, base64url-encoded. */
import { ProtocolErrors } from '../../wire/errors.js';

export interface Page<T> {
  items: T[];
  nextToken: string | undefined;
}

export const encodePageToken = (lastName: string): string => Buffer.from(lastName, 'utf8').toString('base64url');

export function decodePageToken(token: string | undefined): string | undefined {
  if (token === undefined) return undefined;
  const name = Buffer.from(token, 'base64url').toString('utf8');
  if (name.length === 0 || encodePageToken(name) !== token) throw ProtocolErrors.validation('The NextToken is not valid.');
  return name;
}
