/** Ids as API Gateway makes them: lowercase letters and digits (APIs 10, routes and integrations 7, others 6). */
import { randomBytes } from 'node:crypto';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

export function newId(length: number): string {
  const bytes = randomBytes(length);
  let id = '';
  for (const b of bytes) id += ALPHABET[b % ALPHABET.length];
  return id;
}

export const newApiId = () => newId(10);
export const newRouteId = () => newId(7);
export const newIntegrationId = () => newId(7);
export const newAuthorizerId = () => newId(6);
export const newDeploymentId = () => newId(6);
