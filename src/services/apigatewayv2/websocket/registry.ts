/**
 * The connections whose sockets this node holds. Only the node with the socket can write to it;
 * a fleet will route @connections calls to that node (the stored record names it), behind this
 * same interface.
 */
import type { WsConnection } from './connection.js';

export interface ConnectionRegistry {
  add(c: WsConnection): void;
  get(connectionId: string): WsConnection | undefined;
  remove(connectionId: string): void;
  all(): WsConnection[];
}

export class LocalConnectionRegistry implements ConnectionRegistry {
  private readonly byId = new Map<string, WsConnection>();

  add(c: WsConnection): void {
    this.byId.set(c.connectionId, c);
  }

  get(connectionId: string): WsConnection | undefined {
    return this.byId.get(connectionId);
  }

  remove(connectionId: string): void {
    this.byId.delete(connectionId);
  }

  all(): WsConnection[] {
    return [...this.byId.values()];
  }
}
