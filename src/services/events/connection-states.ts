/**
 * A connection's states and the transitions allowed between them; any other is refused. OAuth
 * connections pass through AUTHORIZING while their token is fetched; API key and Basic ones are
 * authorized at once. A failed authorization leaves the connection DEAUTHORIZED with a reason.
 */
import type { ConnectionState } from './connection-model.js';

const ALLOWED: Readonly<Record<ConnectionState, readonly ConnectionState[]>> = {
  AUTHORIZING: ['AUTHORIZED', 'DEAUTHORIZED', 'AUTHORIZING', 'DEAUTHORIZING'],
  AUTHORIZED: ['AUTHORIZED', 'AUTHORIZING', 'DEAUTHORIZING', 'DEAUTHORIZED'],
  DEAUTHORIZING: ['DEAUTHORIZED'],
  DEAUTHORIZED: ['AUTHORIZING', 'AUTHORIZED', 'DEAUTHORIZED', 'DEAUTHORIZING'],
};

export function canTransition(from: ConnectionState, to: ConnectionState): boolean {
  return ALLOWED[from].includes(to);
}

export function assertTransition(from: ConnectionState, to: ConnectionState): void {
  if (!canTransition(from, to)) throw new Error(`connection state ${from} cannot become ${to}`);
}
