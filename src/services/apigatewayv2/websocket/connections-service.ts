/**
 * What the @connections operations do, whoever calls them (the execute-api door, or the router on
 * the base address): write to, describe or close a connection this node holds, answer from the
 * stored record for one another node holds, and GoneException for one that is closed.
 */
import type { ApiGatewayV2Store } from '../../../storage/apigatewayv2-repo.js';
import { ApiGatewayManagementErrors } from '../../../wire/errors.js';
import type { ConnectionRegistry } from './registry.js';

export interface ConnectionInfo {
  connectedAt: number;
  lastActiveAt: number;
  sourceIp: string;
  userAgent: string;
}

export class ConnectionsService {
  constructor(
    private readonly store: ApiGatewayV2Store,
    private readonly registry: ConnectionRegistry,
    private readonly nodeId: string,
  ) {}

  /** `apiId`: the API the call was addressed to, when it was (a connection of another API is gone). */
  async post(connectionId: string, data: Buffer, apiId?: string): Promise<void> {
    const live = await this.live(connectionId, apiId);
    try {
      await live.send(data);
    } catch {
      throw ApiGatewayManagementErrors.gone();
    }
  }

  async describe(connectionId: string, apiId?: string): Promise<ConnectionInfo> {
    const live = this.registry.get(connectionId);
    if (live && live.isOpen && (apiId === undefined || live.facts.apiId === apiId)) {
      const f = live.facts;
      return { connectedAt: f.connectedAt, lastActiveAt: live.lastActiveAt, sourceIp: f.sourceIp, userAgent: f.userAgent };
    }
    const record = await this.record(connectionId, apiId);
    return { connectedAt: record.connectedAt, lastActiveAt: record.connectedAt, sourceIp: record.sourceIp, userAgent: record.userAgent };
  }

  async close(connectionId: string, apiId?: string): Promise<void> {
    (await this.live(connectionId, apiId)).close(1000, 'Connection closed');
  }

  private async live(connectionId: string, apiId: string | undefined) {
    const live = this.registry.get(connectionId);
    if (live && live.isOpen && (apiId === undefined || live.facts.apiId === apiId)) return live;
    // Held by another node: reaching its socket is the fleet's routing, still to come.
    await this.record(connectionId, apiId);
    throw ApiGatewayManagementErrors.gone();
  }

  private async record(connectionId: string, apiId: string | undefined) {
    const record = (await this.store.connections.get(connectionId))?.value;
    if (record && record.nodeId === this.nodeId && !this.registry.get(connectionId)) {
      // Left by this node before it restarted: its socket is gone.
      await this.store.connections.delete(connectionId);
      throw ApiGatewayManagementErrors.gone();
    }
    if (!record || (apiId !== undefined && record.apiId !== apiId)) throw ApiGatewayManagementErrors.gone();
    return record;
  }
}
