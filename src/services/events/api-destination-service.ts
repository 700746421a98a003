/** EventBridge API destinations: an HTTP endpoint, its method and rate limit, and the connection that authorizes calls to it. */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../../lib/clock.js';
import type { DocumentRepo, Revisioned } from '../../storage/store.js';
import type { Account } from '../../wire/arn.js';
import { EventsErrors, ProtocolErrors } from '../../wire/errors.js';
import { DEFAULT_RATE_LIMIT, HTTP_METHODS, type ApiDestinationRecord } from './connection-model.js';
import type { ConnectionService } from './connection-service.js';
import { decodePageToken, encodePageToken, type Page } from './paging.js';

const NAME = /^[.\-_A-Za-z0-9]{1,64}$/;
type Method = ApiDestinationRecord['httpMethod'];

export interface ApiDestinationSpec {
  name: string;
  description?: string | undefined;
  connectionArn: string;
  endpoint: string;
  httpMethod: string;
  rateLimitPerSecond?: number | undefined;
}

export type ApiDestinationChange = Partial<Omit<ApiDestinationSpec, 'name'>>;

export class ApiDestinationService {
  constructor(
    private readonly repo: DocumentRepo<ApiDestinationRecord>,
    private readonly connections: ConnectionService,
    private readonly clock: Clock,
    private readonly account: Account,
  ) {}

  arn(d: ApiDestinationRecord): string {
    return `arn:aws:events:${this.account.region}:${this.account.accountId}:api-destination/${d.name}/${d.uuid}`;
  }

  async create(spec: ApiDestinationSpec): Promise<ApiDestinationRecord> {
    if (!NAME.test(spec.name)) throw ProtocolErrors.validation(`API destination name ${spec.name} is not valid.`);
    const connection = await this.connections.byArn(spec.connectionArn);
    const now = this.clock.now();
    const record: ApiDestinationRecord = {
      name: spec.name,
      uuid: randomUUID(),
      ...(spec.description !== undefined ? { description: spec.description } : {}),
      connectionName: connection.name,
      connectionArn: this.connections.arn(connection),
      endpoint: checkEndpoint(spec.endpoint),
      httpMethod: checkMethod(spec.httpMethod),
      rateLimitPerSecond: spec.rateLimitPerSecond ?? DEFAULT_RATE_LIMIT,
      createdAt: now,
      modifiedAt: now,
    };
    if (!(await this.repo.create(spec.name, record))) throw EventsErrors.resourceAlreadyExists(`An api-destination ${spec.name} already exists.`);
    return record;
  }

  async get(name: string): Promise<ApiDestinationRecord> {
    return (await this.find(name)).value;
  }

  /** By its ARN, as a rule's target names it; undefined if there is none (or another of that name). */
  async byArn(arn: string): Promise<ApiDestinationRecord | undefined> {
    const m = /^arn:aws[\w-]*:events:[^:]*:\d{12}:api-destination\/([^/]+)\/(.+)$/.exec(arn);
    if (!m) return undefined;
    const found = await this.repo.get(m[1]!);
    return found && found.value.uuid === m[2] ? found.value : undefined;
  }

  async list(prefix: string, connectionArn: string | undefined, limit: number | undefined, token: string | undefined): Promise<Page<ApiDestinationRecord>> {
    const size = limit ?? 100;
    const items: ApiDestinationRecord[] = [];
    let after = decodePageToken(token);
    for (;;) {
      const batch = await this.repo.list(prefix, after, size + 1);
      for (const r of batch) if (connectionArn === undefined || r.value.connectionArn === connectionArn) items.push(r.value);
      if (batch.length <= size || items.length > size) break;
      after = batch[batch.length - 1]!.value.name;
    }
    return { items: items.slice(0, size), nextToken: items.length > size ? encodePageToken(items[size - 1]!.name) : undefined };
  }

  async update(name: string, change: ApiDestinationChange): Promise<ApiDestinationRecord> {
    const found = await this.find(name);
    const connection = change.connectionArn === undefined ? undefined : await this.connections.byArn(change.connectionArn);
    const next: ApiDestinationRecord = {
      ...found.value,
      ...(change.description !== undefined ? { description: change.description } : {}),
      ...(connection ? { connectionName: connection.name, connectionArn: this.connections.arn(connection) } : {}),
      ...(change.endpoint !== undefined ? { endpoint: checkEndpoint(change.endpoint) } : {}),
      ...(change.httpMethod !== undefined ? { httpMethod: checkMethod(change.httpMethod) } : {}),
      ...(change.rateLimitPerSecond !== undefined ? { rateLimitPerSecond: change.rateLimitPerSecond } : {}),
      modifiedAt: this.clock.now(),
    };
    if (!(await this.repo.update(name, next, found.revision))) throw EventsErrors.concurrentModification();
    return next;
  }

  async delete(name: string): Promise<void> {
    if (!(await this.repo.delete(name))) throw EventsErrors.resourceNotFound(`An api-destination ${name} does not exist.`);
  }

  private async find(name: string): Promise<Revisioned<ApiDestinationRecord>> {
    const found = await this.repo.get(name);
    if (!found) throw EventsErrors.resourceNotFound(`An api-destination ${name} does not exist.`);
    return found;
  }
}

/** HTTPS as EventBridge wants; plain HTTP too, since a self-hosted platform calls local services. */
function checkEndpoint(endpoint: string): string {
  let url: URL;
  try {
    url = new URL(endpoint.replaceAll('*', 'x'));
  } catch {
    throw ProtocolErrors.validation(`InvocationEndpoint ${endpoint} is not a valid URL.`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw ProtocolErrors.validation(`InvocationEndpoint ${endpoint} is not an HTTPS URL.`);
  return endpoint;
}

function checkMethod(method: string): Method {
  if (!(HTTP_METHODS as readonly string[]).includes(method)) throw ProtocolErrors.validation(`HttpMethod ${method} is not valid.`);
  return method as Method;
}
