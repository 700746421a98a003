/** EventBridge connections and API destinations: parse, call their services, render. */
import type { EventSystem } from '../event-system.js';
import { typedHandlers, type OperationHandler } from '../../../api/service.js';
import type { EventsInputs } from '../../../wire/inputs/events.js';
import { ProtocolErrors } from '../../../wire/errors.js';
import { authFromCreate, authFromUpdate, renderApiDestination, renderConnection, renderConnectionChange, renderConnectionSummary } from './connection-wire.js';

const seconds = (ms: number) => ms / 1000;

/** Private APIs and customer keys for connections are not served: refused, never ignored. */
function refuseUnserved(i: { InvocationConnectivityParameters?: unknown; KmsKeyIdentifier?: string; AuthParameters?: { ConnectivityParameters?: unknown } }): void {
  if (i.InvocationConnectivityParameters !== undefined || i.AuthParameters?.ConnectivityParameters !== undefined) throw ProtocolErrors.notImplemented('Connections to private APIs (InvocationConnectivityParameters)');
  if (i.KmsKeyIdentifier !== undefined) throw ProtocolErrors.notImplemented('Connections with KmsKeyIdentifier');
}

export function connectionHandlers(events: EventSystem): Record<string, OperationHandler> {
  const { connections, apiDestinations } = events;
  const changed = (c: Parameters<typeof connections.arn>[0]) => renderConnectionChange(c, connections.arn(c));
  return typedHandlers<EventsInputs>({
    async CreateConnection(i) {
      refuseUnserved(i);
      return changed(await connections.create({ name: i.Name, description: i.Description, authorizationType: i.AuthorizationType, auth: authFromCreate(i.AuthParameters) }));
    },
    async DescribeConnection(i) {
      const c = await connections.get(i.Name);
      return renderConnection(c, connections.arn(c));
    },
    async ListConnections(i) {
      const page = await connections.list(i.NamePrefix ?? '', i.ConnectionState, i.Limit, i.NextToken);
      return { Connections: page.items.map((c) => renderConnectionSummary(c, connections.arn(c))), NextToken: page.nextToken };
    },
    async UpdateConnection(i) {
      refuseUnserved(i);
      return changed(await connections.update(i.Name, { description: i.Description, authorizationType: i.AuthorizationType, auth: authFromUpdate(i.AuthParameters) }));
    },
    async DeauthorizeConnection(i) {
      return changed(await connections.deauthorize(i.Name));
    },
    async DeleteConnection(i) {
      return { ...changed(await connections.delete(i.Name)), ConnectionState: 'DELETING' };
    },

    async CreateApiDestination(i) {
      const d = await apiDestinations.create({
        name: i.Name,
        description: i.Description,
        connectionArn: i.ConnectionArn,
        endpoint: i.InvocationEndpoint,
        httpMethod: i.HttpMethod,
        rateLimitPerSecond: i.InvocationRateLimitPerSecond,
      });
      return { ApiDestinationArn: apiDestinations.arn(d), ApiDestinationState: 'ACTIVE', CreationTime: seconds(d.createdAt), LastModifiedTime: seconds(d.modifiedAt) };
    },
    async DescribeApiDestination(i) {
      const d = await apiDestinations.get(i.Name);
      return { ...renderApiDestination(d, apiDestinations.arn(d)), ...(d.description !== undefined ? { Description: d.description } : {}) };
    },
    async ListApiDestinations(i) {
      const page = await apiDestinations.list(i.NamePrefix ?? '', i.ConnectionArn, i.Limit, i.NextToken);
      return { ApiDestinations: page.items.map((d) => renderApiDestination(d, apiDestinations.arn(d))), NextToken: page.nextToken };
    },
    async UpdateApiDestination(i) {
      const d = await apiDestinations.update(i.Name, {
        description: i.Description,
        connectionArn: i.ConnectionArn,
        endpoint: i.InvocationEndpoint,
        httpMethod: i.HttpMethod,
        rateLimitPerSecond: i.InvocationRateLimitPerSecond,
      });
      return { ApiDestinationArn: apiDestinations.arn(d), ApiDestinationState: 'ACTIVE', CreationTime: seconds(d.createdAt), LastModifiedTime: seconds(d.modifiedAt) };
    },
    async DeleteApiDestination(i) {
      await apiDestinations.delete(i.Name);
      return {};
    },
  });
}
