/**
 * DynamoDB Streams: one shard per stream, records in commit order. A shard iterator is an opaque
 * (unsigned) token (the stream, the last sequence read, when it was made), checked with zod when it
 * comes back; it expires after 15 minutes as DynamoDB's do.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Clock } from '../../lib/clock.js';
import type { DynamoDbRepo } from '../../storage/dynamodb-repo.js';
import { DynamoDbStreamsErrors } from '../../wire/errors.js';
import { StoredRecordSchema, type StoredRecord } from './stream-records.js';
import type { TableRecord } from './table.js';

const ITERATOR_TTL_MS = 15 * 60_000;
export const RETENTION_MS = 24 * 3600_000;
const SEQUENCE_DIGITS = 21;

export type IteratorType = 'TRIM_HORIZON' | 'LATEST' | 'AT_SEQUENCE_NUMBER' | 'AFTER_SEQUENCE_NUMBER';

const IteratorSchema = z.object({ arn: z.string(), after: z.number().int().nonnegative(), made: z.number() });

export const formatSequence = (n: number): string => String(n).padStart(SEQUENCE_DIGITS, '0');

export interface StreamInfo {
  table: TableRecord;
  stream: NonNullable<TableRecord['stream']>;
  shardId: string;
  first: number | undefined;
  last: number;
}

export interface ReadRecord extends StoredRecord {
  sequence: number;
  at: number;
}

export class StreamService {
  constructor(
    private readonly repo: DynamoDbRepo,
    private readonly clock: Clock,
  ) {}

  private tableNameOf(arn: string): string | undefined {
    return /:table\/([^/]+)\/stream\//.exec(arn)?.[1];
  }

  async list(tableName: string | undefined, after: string | undefined, limit: number): Promise<{ streams: StreamInfo['stream'][]; tables: string[]; last?: string }> {
    // Tables are few (DynamoDB's default quota is 2,500 per region): reading their records is cheap.
    const names = tableName !== undefined ? [tableName] : await this.repo.listTables(undefined, 10_000);
    const found: { table: string; stream: StreamInfo['stream'] }[] = [];
    for (const name of names) {
      const t = await this.repo.getTable(name);
      if (t?.stream) found.push({ table: name, stream: t.stream });
    }
    const start = after === undefined ? 0 : found.findIndex((f) => f.stream.arn === after) + 1;
    const page = found.slice(start, start + limit);
    const more = start + limit < found.length;
    return { streams: page.map((p) => p.stream), tables: page.map((p) => p.table), ...(more ? { last: page[page.length - 1]!.stream.arn } : {}) };
  }

  async describe(arn: string): Promise<StreamInfo> {
    const name = this.tableNameOf(arn);
    const table = name === undefined ? undefined : await this.repo.getTable(name);
    if (!table?.stream || table.stream.arn !== arn) throw DynamoDbStreamsErrors.resourceNotFound(`Requested resource not found: Stream: ${arn} not found`);
    const [first] = await this.repo.streamRecords(arn, 0, 1);
    // DynamoDB's shape: the shard's creation time, then a hash (the model asks for 28 to 65 characters).
    const created = String(Date.parse(`${table.stream.label}Z`)).padStart(20, '0');
    const shardId = `shardId-${created}-${createHash('sha256').update(arn).digest('hex').slice(0, 8)}`;
    return { table, stream: table.stream, shardId, first: first?.sequence, last: await this.repo.lastSequence(arn) };
  }

  async iterator(arn: string, shardId: string, type: IteratorType, sequence: string | undefined): Promise<string> {
    const info = await this.describe(arn);
    if (shardId !== info.shardId) throw DynamoDbStreamsErrors.resourceNotFound(`Requested resource not found: Shard: ${shardId} in Stream: ${arn} not found`);
    let after: number;
    if (type === 'TRIM_HORIZON') after = 0;
    else if (type === 'LATEST') after = info.last;
    else {
      if (sequence === undefined || !/^\d{1,40}$/.test(sequence)) throw DynamoDbStreamsErrors.resourceNotFound(`Invalid SequenceNumber: ${sequence}`);
      const n = Number(sequence);
      if (info.first !== undefined && n < info.first) throw DynamoDbStreamsErrors.trimmedDataAccess('Attempted to access data beyond the trim horizon');
      after = type === 'AT_SEQUENCE_NUMBER' ? n - 1 : n;
    }
    return this.token(arn, after);
  }

  private token(arn: string, after: number): string {
    return Buffer.from(JSON.stringify({ arn, after, made: this.clock.now() })).toString('base64url');
  }

  /** Records after sequence `after`, for readers that keep their own position (event source mappings); `closed` once a disabled stream has no more. */
  async readAfter(arn: string, after: number, limit: number): Promise<{ records: ReadRecord[]; closed: boolean }> {
    const info = await this.describe(arn);
    const rows = await this.repo.streamRecords(arn, after, limit);
    const records = rows.map((r) => Object.assign(StoredRecordSchema.parse(JSON.parse(r.record)), { sequence: r.sequence, at: r.at }));
    const last = rows.length > 0 ? rows[rows.length - 1]!.sequence : after;
    return { records, closed: !info.stream.enabled && last >= info.last };
  }

  /** Records after the iterator's position, and the iterator that follows them (none once a disabled stream is read to its end). */
  async records(iterator: string, limit: number): Promise<{ records: ReadRecord[]; next: string | undefined }> {
    let it: z.infer<typeof IteratorSchema>;
    try {
      it = IteratorSchema.parse(JSON.parse(Buffer.from(iterator, 'base64url').toString('utf8')));
    } catch {
      throw DynamoDbStreamsErrors.resourceNotFound('Invalid ShardIterator');
    }
    if (this.clock.now() - it.made > ITERATOR_TTL_MS) throw DynamoDbStreamsErrors.expiredIterator();
    const info = await this.describe(it.arn);
    const rows = await this.repo.streamRecords(it.arn, it.after, limit);
    const records = rows.map((r) => Object.assign(StoredRecordSchema.parse(JSON.parse(r.record)), { sequence: r.sequence, at: r.at }));
    const after = rows.length > 0 ? rows[rows.length - 1]!.sequence : it.after;
    const closed = !info.stream.enabled && after >= info.last;
    return { records, next: closed ? undefined : this.token(it.arn, after) };
  }
}
