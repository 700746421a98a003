/**
 * Tables: create, describe, list, update (streams, indexes, billing), delete, tags, TTL. A table is
 * usable as soon as it is created; a global index added later backfills in the background and is
 * CREATING until then.
 */
import type { Clock } from '../../lib/clock.js';
import type { Logger } from '../../lib/logger.js';
import type { DynamoDbRepo } from '../../storage/dynamodb-repo.js';
import type { Account } from '../../wire/arn.js';
import { DynamoDbErrors } from '../../wire/errors.js';
import type { Backfills } from './backfill.js';
import { checkAttributesUsed, checkProjection, indexOf, keySchemaOf, type IndexSpec, type KeyElement } from './table-spec.js';
import { StreamViewTypes, type KeyAttribute, type StreamViewType, type TableRecord } from './table.js';
import { randomUUID } from 'node:crypto';

export interface StreamSpec {
  enabled: boolean;
  viewType?: StreamViewType | undefined;
}

export interface TableSpec {
  name: string;
  attributes: KeyAttribute[];
  keySchema: KeyElement[];
  billingMode: TableRecord['billingMode'];
  throughput?: { read: number; write: number } | undefined;
  globalIndexes: IndexSpec[];
  localIndexes: IndexSpec[];
  stream?: StreamSpec | undefined;
  sse?: TableRecord['sse'];
  tags: Record<string, string>;
  tableClass?: string | undefined;
  deletionProtection?: boolean | undefined;
}

export interface TableChanges {
  attributes?: KeyAttribute[] | undefined;
  billingMode?: TableRecord['billingMode'] | undefined;
  throughput?: { read: number; write: number } | undefined;
  stream?: StreamSpec | undefined;
  createIndexes: IndexSpec[];
  deleteIndexes: string[];
  updateIndexes: { name: string; throughput?: { read: number; write: number } | undefined }[];
  tableClass?: string | undefined;
  sse?: TableRecord['sse'];
  deletionProtection?: boolean | undefined;
}

const invalid = DynamoDbErrors.invalidParameter;

export class TableService {
  constructor(
    private readonly repo: DynamoDbRepo,
    private readonly clock: Clock,
    private readonly account: Account,
    private readonly backfills: Backfills,
    private readonly logger: Logger,
  ) {}

  arnOf(name: string): string {
    return `arn:aws:dynamodb:${this.account.region}:${this.account.accountId}:table/${name}`;
  }

  async get(name: string): Promise<TableRecord> {
    const t = await this.repo.getTable(name);
    if (!t) throw DynamoDbErrors.resourceNotFound(`Table: ${name} not found`);
    return t;
  }

  /** The table named by name or ARN, for item operations (whose error names no table). */
  async forItems(nameOrArn: string): Promise<TableRecord> {
    const name = nameOrArn.startsWith('arn:') ? nameOrArn.slice(nameOrArn.indexOf(':table/') + 7) : nameOrArn;
    const t = await this.repo.getTable(name);
    if (!t) throw DynamoDbErrors.resourceNotFound();
    return t;
  }

  async create(spec: TableSpec): Promise<TableRecord> {
    this.checkBilling(spec.billingMode, spec.throughput);
    const key = keySchemaOf(spec.keySchema, spec.attributes);
    const indexes = [
      ...spec.globalIndexes.map((i) => indexOf(i, 'global', spec.attributes, key, 'ACTIVE')),
      ...spec.localIndexes.map((i) => indexOf(i, 'local', spec.attributes, key, 'ACTIVE')),
    ];
    const names = indexes.map((i) => i.name);
    if (new Set(names).size !== names.length) throw invalid('Duplicate index name');
    checkAttributesUsed(spec.attributes, [key, ...indexes.map((i) => i.key)]);
    const now = this.clock.now();
    const record: TableRecord = {
      name: spec.name,
      id: randomUUID(),
      arn: this.arnOf(spec.name),
      createdAt: now,
      key,
      attributes: spec.attributes,
      billingMode: spec.billingMode,
      ...(spec.throughput ? { throughput: spec.throughput } : {}),
      indexes,
      ...(spec.stream?.enabled ? { stream: this.newStream(spec.name, spec.stream, now) } : {}),
      ...(spec.sse ? { sse: spec.sse } : {}),
      tags: spec.tags,
      tableClass: spec.tableClass ?? 'STANDARD',
      deletionProtection: spec.deletionProtection ?? false,
    };
    if (!(await this.repo.createTable(record))) throw DynamoDbErrors.resourceInUse(`Table already exists: ${spec.name}`);
    return record;
  }

  private checkBilling(mode: TableRecord['billingMode'], throughput: TableSpec['throughput']): void {
    if (mode === 'PROVISIONED' && !throughput) throw invalid('ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED');
    if (mode === 'PAY_PER_REQUEST' && throughput) throw invalid('Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST');
  }

  private newStream(table: string, spec: StreamSpec, now: number): NonNullable<TableRecord['stream']> {
    if (!spec.viewType || !StreamViewTypes.includes(spec.viewType)) throw invalid('You must specify a StreamViewType when enabling a stream');
    const label = new Date(now).toISOString().replace('Z', '');
    return { enabled: true, viewType: spec.viewType, label, arn: `${this.arnOf(table)}/stream/${label}` };
  }

  async list(after: string | undefined, limit: number): Promise<{ names: string[]; last?: string }> {
    const names = await this.repo.listTables(after, limit + 1);
    const page = names.slice(0, limit);
    return names.length > limit ? { names: page, last: page[page.length - 1]! } : { names: page };
  }

  async delete(name: string): Promise<TableRecord> {
    const t = await this.get(name);
    if (t.deletionProtection) throw invalid(`Resource cannot be deleted as it is currently protected against deletion. Disable deletion protection first.`);
    if (!(await this.repo.deleteTable(name))) throw DynamoDbErrors.resourceNotFound(`Table: ${name} not found`);
    return t;
  }

  async update(name: string, changes: TableChanges): Promise<TableRecord> {
    const t = structuredClone(await this.get(name));
    const attributes = [...t.attributes];
    for (const a of changes.attributes ?? []) {
      const known = attributes.find((x) => x.name === a.name);
      if (known && known.type !== a.type) throw invalid(`Cannot change the type of attribute ${a.name}`);
      if (!known) attributes.push(a);
    }
    if (changes.billingMode) {
      this.checkBilling(changes.billingMode, changes.throughput);
      t.billingMode = changes.billingMode;
      if (changes.billingMode === 'PAY_PER_REQUEST') delete t.throughput;
    }
    if (changes.throughput) t.throughput = changes.throughput;
    if (changes.stream) {
      if (changes.stream.enabled && t.stream?.enabled) throw DynamoDbErrors.validation(`Table already has an enabled stream: TableName: ${name}`);
      if (!changes.stream.enabled && !t.stream?.enabled) throw DynamoDbErrors.validation(`Table already has no enabled stream: TableName: ${name}`);
      // Disabling keeps the stream's ARN: its records stay readable for 24 hours.
      t.stream = changes.stream.enabled ? this.newStream(name, changes.stream, this.clock.now()) : { ...t.stream!, enabled: false };
    }
    for (const index of changes.deleteIndexes) {
      if (!t.indexes.some((i) => i.name === index && i.kind === 'global')) throw DynamoDbErrors.resourceNotFound(`Requested resource not found: Index: ${index}`);
      t.indexes = t.indexes.filter((i) => i.name !== index);
    }
    for (const u of changes.updateIndexes) {
      const index = t.indexes.find((i) => i.name === u.name && i.kind === 'global');
      if (!index) throw DynamoDbErrors.resourceNotFound(`Requested resource not found: Index: ${u.name}`);
      if (u.throughput) index.throughput = u.throughput;
    }
    if (changes.tableClass) t.tableClass = changes.tableClass;
    const created: string[] = [];
    for (const spec of changes.createIndexes) {
      if (t.indexes.some((i) => i.name === spec.name)) throw invalid(`Index with name: ${spec.name} already exists`);
      checkProjection(spec.projection, spec.name);
      t.indexes.push(indexOf(spec, 'global', attributes, t.key, 'CREATING'));
      created.push(spec.name);
    }
    const keys = [t.key, ...t.indexes.map((i) => i.key)];
    checkAttributesUsed(changes.attributes ?? [], keys, false);
    // A removed index's key attributes leave the definitions with it, as DynamoDB does.
    t.attributes = attributes.filter((a) => keys.some((k) => k.hash.name === a.name || k.range?.name === a.name));
    if (changes.sse) t.sse = changes.sse;
    if (changes.deletionProtection !== undefined) t.deletionProtection = changes.deletionProtection;
    if (!(await this.repo.updateTable(t))) throw DynamoDbErrors.resourceNotFound(`Table: ${name} not found`);
    for (const index of changes.deleteIndexes) await this.repo.dropIndex(name, index);
    if (created.length > 0) this.backfills.start(name, `index ${created.join(', ')}`, (tt) => this.activate(tt, created));
    return t;
  }

  /** After a backfill: the new indexes become ACTIVE (unless removed meanwhile). */
  private async activate(name: string, indexes: string[]): Promise<void> {
    const found = await this.repo.getTable(name);
    if (!found) return;
    const t = structuredClone(found);
    for (const i of t.indexes) if (indexes.includes(i.name)) i.status = 'ACTIVE';
    await this.repo.updateTable(t);
    this.logger.info('dynamodb index backfilled', { table: name, indexes });
  }

  async stats(name: string): Promise<{ count: number; bytes: number }> {
    return this.repo.stats(name);
  }

  // ---- tags ----

  private async byArn(arn: string): Promise<TableRecord> {
    const prefix = this.arnOf('');
    if (!arn.startsWith(prefix)) throw DynamoDbErrors.resourceNotFound(`${arn}`);
    const t = await this.repo.getTable(arn.slice(prefix.length));
    if (!t) throw DynamoDbErrors.resourceNotFound(`${arn}`);
    return t;
  }

  async tag(arn: string, tags: Record<string, string>): Promise<void> {
    const t = structuredClone(await this.byArn(arn));
    t.tags = { ...t.tags, ...tags };
    if (Object.keys(t.tags).length > 50) throw DynamoDbErrors.limitExceeded('The number of tags exceeds the limit of 50');
    await this.repo.updateTable(t);
  }

  async untag(arn: string, keys: readonly string[]): Promise<void> {
    const t = structuredClone(await this.byArn(arn));
    for (const k of keys) delete t.tags[k];
    await this.repo.updateTable(t);
  }

  async tags(arn: string): Promise<Record<string, string>> {
    return (await this.byArn(arn)).tags;
  }

  // ---- time to live ----

  async setTimeToLive(name: string, enabled: boolean, attribute: string): Promise<void> {
    const t = structuredClone(await this.get(name));
    if (enabled && t.ttl?.enabled) throw DynamoDbErrors.validation('TimeToLive is already enabled');
    if (!enabled && !t.ttl?.enabled) throw DynamoDbErrors.validation('TimeToLive is already disabled');
    if (!enabled && t.ttl?.attribute !== attribute) throw DynamoDbErrors.validation('The TimeToLive attribute name does not match the current attribute');
    t.ttl = { attribute, enabled };
    await this.repo.updateTable(t);
    // Items written before TTL was on carry no expiry yet: rewrite them with it.
    this.backfills.start(name, 'time to live', async () => undefined);
  }
}
