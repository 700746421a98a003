/** A table as Selfless keeps it: key schema, indexes, stream, TTL, tags; checked with zod when read back. */
import { z } from 'zod';

const KeyAttr = z.object({ name: z.string(), type: z.enum(['S', 'N', 'B']) });
export const KeySchemaSchema = z.object({ hash: KeyAttr, range: KeyAttr.optional() });
export type KeySchema = z.infer<typeof KeySchemaSchema>;
export type KeyAttribute = z.infer<typeof KeyAttr>;

const ProjectionSchema = z.object({ type: z.enum(['ALL', 'KEYS_ONLY', 'INCLUDE']), nonKeyAttributes: z.array(z.string()).optional() });
export type Projection = z.infer<typeof ProjectionSchema>;

const Throughput = z.object({ read: z.number(), write: z.number() });

export const IndexSchema = z.object({
  name: z.string(),
  kind: z.enum(['global', 'local']),
  key: KeySchemaSchema,
  projection: ProjectionSchema,
  /** A global index added to a table with items is CREATING until its backfill ends. */
  status: z.enum(['CREATING', 'ACTIVE']),
  throughput: Throughput.optional(),
});
export type IndexDefinition = z.infer<typeof IndexSchema>;

export const StreamViewTypes = ['KEYS_ONLY', 'NEW_IMAGE', 'OLD_IMAGE', 'NEW_AND_OLD_IMAGES'] as const;
export type StreamViewType = (typeof StreamViewTypes)[number];

export const TableSchema = z.object({
  name: z.string(),
  id: z.string(),
  arn: z.string(),
  createdAt: z.number(),
  key: KeySchemaSchema,
  attributes: z.array(KeyAttr),
  billingMode: z.enum(['PROVISIONED', 'PAY_PER_REQUEST']),
  throughput: Throughput.optional(),
  indexes: z.array(IndexSchema),
  /** The table's latest stream (it outlives being disabled, as its records do). */
  stream: z.object({ enabled: z.boolean(), viewType: z.enum(StreamViewTypes), label: z.string(), arn: z.string() }).optional(),
  sse: z.object({ enabled: z.boolean(), type: z.string().optional(), kmsKeyId: z.string().optional() }).optional(),
  ttl: z.object({ attribute: z.string(), enabled: z.boolean() }).optional(),
  tags: z.record(z.string(), z.string()),
  tableClass: z.string(),
  deletionProtection: z.boolean(),
});
export type TableRecord = z.infer<typeof TableSchema>;

/**
 * Every item operation reads its table's record: the same text parses to the same record, so a record
 * is checked once and shared, frozen (whoever changes a table changes a structuredClone of it).
 */
const parsed = new Map<string, TableRecord>();
const PARSED_MAX = 1000;

export function parseTable(text: string): TableRecord {
  let t = parsed.get(text);
  if (!t) {
    if (parsed.size >= PARSED_MAX) parsed.clear();
    parsed.set(text, (t = deepFreeze(TableSchema.parse(JSON.parse(text)))));
  }
  return t;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

export const indexNamed = (t: TableRecord, name: string): IndexDefinition | undefined => t.indexes.find((i) => i.name === name);

export const keyNames = (k: KeySchema): string[] => (k.range ? [k.hash.name, k.range.name] : [k.hash.name]);

/** The attributes an index row keeps: the table's and index's keys, and what the projection adds. */
export function projectedNames(t: TableRecord, index: IndexDefinition): Set<string> | 'ALL' {
  if (index.projection.type === 'ALL') return 'ALL';
  return new Set([...keyNames(t.key), ...keyNames(index.key), ...(index.projection.nonKeyAttributes ?? [])]);
}
