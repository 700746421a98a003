/** A table as DescribeTable, CreateTable, UpdateTable and DeleteTable describe it. */
import type { IndexDefinition, KeySchema, TableRecord } from '../table.js';
import type { Input } from '../../../api/service.js';

export const keySchemaOut = (k: KeySchema) => [
  { AttributeName: k.hash.name, KeyType: 'HASH' },
  ...(k.range ? [{ AttributeName: k.range.name, KeyType: 'RANGE' }] : []),
];

const throughputOut = (t: { read: number; write: number } | undefined) => ({
  ReadCapacityUnits: t?.read ?? 0,
  WriteCapacityUnits: t?.write ?? 0,
  NumberOfDecreasesToday: 0,
});

function indexOut(t: TableRecord, i: IndexDefinition): Input {
  return {
    IndexName: i.name,
    KeySchema: keySchemaOut(i.key),
    Projection: { ProjectionType: i.projection.type, ...(i.projection.nonKeyAttributes ? { NonKeyAttributes: i.projection.nonKeyAttributes } : {}) },
    IndexArn: `${t.arn}/index/${i.name}`,
    ...(i.kind === 'global'
      ? { IndexStatus: i.status, ProvisionedThroughput: throughputOut(i.throughput), ...(i.status === 'CREATING' ? { Backfilling: true } : {}) }
      : {}),
  };
}

export function describeTable(t: TableRecord, status: string, stats?: { count: number; bytes: number }): Input {
  const globals = t.indexes.filter((i) => i.kind === 'global');
  const locals = t.indexes.filter((i) => i.kind === 'local');
  return {
    AttributeDefinitions: t.attributes.map((a) => ({ AttributeName: a.name, AttributeType: a.type })),
    TableName: t.name,
    KeySchema: keySchemaOut(t.key),
    TableStatus: status,
    CreationDateTime: t.createdAt / 1000,
    ProvisionedThroughput: throughputOut(t.throughput),
    TableSizeBytes: stats?.bytes ?? 0,
    ItemCount: stats?.count ?? 0,
    TableArn: t.arn,
    TableId: t.id,
    BillingModeSummary: { BillingMode: t.billingMode },
    ...(locals.length > 0 ? { LocalSecondaryIndexes: locals.map((i) => indexOut(t, i)) } : {}),
    ...(globals.length > 0 ? { GlobalSecondaryIndexes: globals.map((i) => indexOut(t, i)) } : {}),
    ...(t.stream
      ? {
          StreamSpecification: t.stream.enabled ? { StreamEnabled: true, StreamViewType: t.stream.viewType } : { StreamEnabled: false },
          LatestStreamLabel: t.stream.label,
          LatestStreamArn: t.stream.arn,
        }
      : {}),
    ...(t.sse?.enabled ? { SSEDescription: { Status: 'ENABLED', SSEType: t.sse.type ?? 'KMS', ...(t.sse.kmsKeyId ? { KMSMasterKeyArn: t.sse.kmsKeyId } : {}) } } : {}),
    TableClassSummary: { TableClass: t.tableClass },
    DeletionProtectionEnabled: t.deletionProtection,
  };
}
