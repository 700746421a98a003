/** DynamoDB's table operations: parse, call the table service, describe. */
import { present } from '../../../wire/validate.js';
import type { DynamoDbSystem } from '../system.js';
import type { IndexSpec, KeyElement } from '../table-spec.js';
import type { KeyAttribute, Projection, StreamViewType, TableRecord } from '../table.js';
import type { TableChanges } from '../table-service.js';
import { ProtocolErrors } from '../../../wire/errors.js';
import { typedHandlers, type Input, type OperationHandler } from '../../../api/service.js';
import { describeTable } from './describe.js';
import type { DynamodbInputs } from '../../../wire/inputs/dynamodb.js';

interface WireKeyElement {
  AttributeName: string;
  KeyType: 'HASH' | 'RANGE';
}
interface WireThroughput {
  ReadCapacityUnits: number;
  WriteCapacityUnits: number;
}
interface WireIndex {
  IndexName: string;
  KeySchema: WireKeyElement[];
  Projection?: { ProjectionType?: Projection['type']; NonKeyAttributes?: string[] };
  ProvisionedThroughput?: WireThroughput;
}
interface WireSse {
  Enabled?: boolean;
  SSEType?: string;
  KMSMasterKeyId?: string;
}
interface CreateTableInput {
  TableName: string;
  AttributeDefinitions: { AttributeName: string; AttributeType: KeyAttribute['type'] }[];
  KeySchema: WireKeyElement[];
  BillingMode?: TableRecord['billingMode'];
  ProvisionedThroughput?: WireThroughput;
  GlobalSecondaryIndexes?: WireIndex[];
  LocalSecondaryIndexes?: WireIndex[];
  StreamSpecification?: { StreamEnabled: boolean; StreamViewType?: StreamViewType };
  SSESpecification?: WireSse;
  Tags?: { Key: string; Value: string }[];
  TableClass?: string;
  DeletionProtectionEnabled?: boolean;
}

const keyElements = (k: WireKeyElement[]): KeyElement[] => k.map((e) => ({ name: e.AttributeName, keyType: e.KeyType }));
const attributes = (a: CreateTableInput['AttributeDefinitions'] = []): KeyAttribute[] => a.map((x) => ({ name: x.AttributeName, type: x.AttributeType }));
const throughput = (t: WireThroughput | undefined) => (t ? { read: t.ReadCapacityUnits, write: t.WriteCapacityUnits } : undefined);
const indexSpec = (i: WireIndex): IndexSpec => ({
  name: i.IndexName,
  keySchema: keyElements(present(i.KeySchema, 'KeySchema')),
  projection: { type: i.Projection?.ProjectionType ?? 'ALL', ...(i.Projection?.NonKeyAttributes ? { nonKeyAttributes: i.Projection.NonKeyAttributes } : {}) },
  throughput: throughput(i.ProvisionedThroughput),
});
const sse = (s: WireSse | undefined): TableRecord['sse'] =>
  s ? { enabled: s.Enabled ?? false, ...(s.SSEType ? { type: s.SSEType } : {}), ...(s.KMSMasterKeyId ? { kmsKeyId: s.KMSMasterKeyId } : {}) } : undefined;
const stream = (s: CreateTableInput['StreamSpecification']) => (s ? { enabled: s.StreamEnabled, viewType: s.StreamViewType } : undefined);

/** Parameters of features Selfless does not serve (global tables, resource policies): 501, never ignored. */
function refuseUnsupported(operation: string, input: Input, names: readonly string[]): void {
  for (const n of names) if (input[n] !== undefined) throw ProtocolErrors.notImplemented(`${operation} with ${n}`);
}

/** DynamoDB's default account and table quotas (DescribeLimits). */
const LIMITS = { AccountMaxReadCapacityUnits: 80000, AccountMaxWriteCapacityUnits: 80000, TableMaxReadCapacityUnits: 40000, TableMaxWriteCapacityUnits: 40000 };

export function tableHandlers({ tables }: DynamoDbSystem): Record<string, OperationHandler> {
  const describe = async (t: TableRecord, status: string) => describeTable(t, status, status === 'ACTIVE' ? await tables.stats(t.name) : undefined);
  return typedHandlers<DynamodbInputs>({
    async CreateTable(input) {
      refuseUnsupported('CreateTable', input, ['ResourcePolicy']);
      const i = input;
      const t = await tables.create({
        name: i.TableName,
        attributes: attributes(i.AttributeDefinitions),
        keySchema: keyElements(present(i.KeySchema, 'KeySchema')),
        billingMode: i.BillingMode ?? 'PROVISIONED',
        throughput: throughput(i.ProvisionedThroughput),
        globalIndexes: (i.GlobalSecondaryIndexes ?? []).map(indexSpec),
        localIndexes: (i.LocalSecondaryIndexes ?? []).map(indexSpec),
        stream: stream(i.StreamSpecification),
        sse: sse(i.SSESpecification),
        tags: Object.fromEntries((i.Tags ?? []).map((t) => [t.Key, t.Value])),
        tableClass: i.TableClass,
        deletionProtection: i.DeletionProtectionEnabled,
      });
      // Ready at once; CREATING is what DynamoDB answers, and what waiters expect to see first.
      return { TableDescription: await describe(t, 'CREATING') };
    },

    async DescribeTable(input) {
      return { Table: await describe(await tables.get(input.TableName), 'ACTIVE') };
    },

    async ListTables(input) {
      const page = await tables.list(input.ExclusiveStartTableName, input.Limit ?? 100);
      return { TableNames: page.names, ...(page.last ? { LastEvaluatedTableName: page.last } : {}) };
    },

    async DeleteTable(input) {
      return { TableDescription: await describe(await tables.delete(input.TableName), 'DELETING') };
    },

    async UpdateTable(input) {
      refuseUnsupported('UpdateTable', input, ['ReplicaUpdates', 'MultiRegionConsistency', 'GlobalTableWitnessUpdates']);
      const i = input;
      const updates = i.GlobalSecondaryIndexUpdates ?? [];
      const changes: TableChanges = {
        attributes: i.AttributeDefinitions && attributes(i.AttributeDefinitions),
        billingMode: i.BillingMode,
        throughput: throughput(i.ProvisionedThroughput),
        stream: stream(i.StreamSpecification),
        createIndexes: updates.flatMap((u) => (u.Create ? [indexSpec(u.Create)] : [])),
        deleteIndexes: updates.flatMap((u) => (u.Delete ? [u.Delete.IndexName] : [])),
        updateIndexes: updates.flatMap((u) => (u.Update ? [{ name: u.Update.IndexName, throughput: throughput(u.Update.ProvisionedThroughput) }] : [])),
        tableClass: i.TableClass,
        sse: sse(i.SSESpecification),
        deletionProtection: i.DeletionProtectionEnabled,
      };
      return { TableDescription: await describe(await tables.update(i.TableName, changes), 'ACTIVE') };
    },

    async DescribeLimits() {
      return LIMITS;
    },

    async TagResource(input) {
      const tags = input.Tags;
      await tables.tag(input.ResourceArn, Object.fromEntries(tags.map((t) => [t.Key, t.Value])));
      return {};
    },

    async UntagResource(input) {
      await tables.untag(input.ResourceArn, input.TagKeys);
      return {};
    },

    async ListTagsOfResource(input) {
      const tags = await tables.tags(input.ResourceArn);
      return { Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) };
    },

    async UpdateTimeToLive(input) {
      const spec = input.TimeToLiveSpecification;
      await tables.setTimeToLive(input.TableName, spec.Enabled, spec.AttributeName);
      return { TimeToLiveSpecification: spec };
    },

    async DescribeTimeToLive(input) {
      const t = await tables.get(input.TableName);
      return {
        TimeToLiveDescription: t.ttl?.enabled ? { TimeToLiveStatus: 'ENABLED', AttributeName: t.ttl.attribute } : { TimeToLiveStatus: 'DISABLED' },
      };
    },
  });
}
