/**
 * Query and Scan. A Query reads one partition's key range from the store in key order; a Scan reads
 * partitions in hash order (its segments are ranges of that hash). Both stop at Limit items read or
 * 1 MB, filter after reading (as DynamoDB counts), and hand back the last key read to resume from.
 */
import type { DynamoDbRepo, KeyQuery, SortCondition } from '../../storage/dynamodb-repo.js';
import { DynamoDbErrors } from '../../wire/errors.js';
import type { Condition, Operand, Path } from './expressions/ast.js';
import { ExpressionContext } from './expressions/context.js';
import { evaluate } from './expressions/evaluate.js';
import { parseCondition, parseProjection } from './expressions/parser.js';
import { project } from './expressions/projection.js';
import { encodeKey, HASH_SPACE, partitionHash } from './key-codec.js';
import { keyOf } from './keys.js';
import type { TableService } from './table-service.js';
import { indexNamed, keyNames, type IndexDefinition, type KeySchema, type TableRecord } from './table.js';
import { checkItem, itemSize, typeOf, type Item, type Value } from './values.js';

/** DynamoDB's page size: a Query or Scan reads at most 1 MB. */
const MAX_PAGE_BYTES = 1024 * 1024;
const STORE_PAGE = 500;

export type Select = 'ALL_ATTRIBUTES' | 'ALL_PROJECTED_ATTRIBUTES' | 'SPECIFIC_ATTRIBUTES' | 'COUNT';

interface ReadSpec {
  table: string;
  index?: string | undefined;
  filter?: string | undefined;
  projection?: string | undefined;
  names?: Record<string, string> | undefined;
  values?: Record<string, unknown> | undefined;
  limit?: number | undefined;
  select?: Select | undefined;
  consistentRead?: boolean | undefined;
  exclusiveStartKey?: Record<string, unknown> | undefined;
}

export interface QuerySpec extends ReadSpec {
  keyCondition?: string | undefined;
  forward?: boolean | undefined;
  /** PartiQL's SELECT: its WHERE clause, key terms and all, is the filter. */
  filterHasKeys?: boolean | undefined;
}

export interface ScanSpec extends ReadSpec {
  segment?: number | undefined;
  totalSegments?: number | undefined;
}

export interface ReadResult {
  items: Item[];
  count: number;
  scanned: number;
  lastKey: Item | undefined;
}

interface Source {
  table: TableRecord;
  index: IndexDefinition | undefined;
  /** The key the rows are ordered by: the table's, or the index's. */
  key: KeySchema;
}

export class Queries {
  constructor(
    private readonly repo: DynamoDbRepo,
    private readonly tables: TableService,
  ) {}

  private async source(spec: ReadSpec): Promise<Source> {
    const table = await this.tables.forItems(spec.table);
    if (spec.index === undefined) return { table, index: undefined, key: table.key };
    const index = indexNamed(table, spec.index);
    if (!index) throw DynamoDbErrors.validation(`The table does not have the specified index: ${spec.index}`);
    if (index.status !== 'ACTIVE') throw DynamoDbErrors.validation(`Cannot read from backfilling global secondary index: ${spec.index}`);
    if (index.kind === 'global' && spec.consistentRead) throw DynamoDbErrors.validation('Consistent reads are not supported on global secondary indexes');
    return { table, index, key: index.key };
  }

  async query(spec: QuerySpec): Promise<ReadResult> {
    const src = await this.source(spec);
    if (spec.keyCondition === undefined) throw DynamoDbErrors.validation('Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.');
    const ctx = new ExpressionContext(spec.names, spec.values);
    const keyCondition = parseCondition(spec.keyCondition, 'KeyConditionExpression', ctx);
    const { filter, paths } = this.expressions(spec, ctx, src, !spec.filterHasKeys);
    const { pk, sk } = keyRange(keyCondition, src.key);
    const start = this.startKey(spec, src);
    const forward = spec.forward ?? true;
    const q: KeyQuery = { table: src.table.name, index: src.index?.name, pk, sk, forward, limit: 0 };
    return this.collect(spec, src, filter, paths, async (limit, after) => {
      const rows = await this.repo.query(Object.assign({}, q, { limit, after: after ? rowPosition(src, after) : start && rowPosition(src, start) }));
      return rows;
    });
  }

  async scan(spec: ScanSpec): Promise<ReadResult> {
    const src = await this.source(spec);
    const ctx = new ExpressionContext(spec.names, spec.values);
    const { filter, paths } = this.expressions(spec, ctx, src);
    const { from, to } = segmentRange(spec.segment, spec.totalSegments);
    const start = this.startKey(spec, src);
    return this.collect(spec, src, filter, paths, async (limit, after) => {
      const from_ = after ?? start;
      // Index rows are ordered by their item's partition hash too, so one hash orders both.
      const position = from_ && { hash: partitionHash(encodeKey(from_[src.table.key.hash.name]!)), ...rowPosition(src, from_), pk: encodeKey(from_[src.key.hash.name]!) };
      const rows = await this.repo.scan({ table: src.table.name, index: src.index?.name, hashFrom: from, hashTo: to, after: position, limit });
      return rows.map((r) => r.item);
    });
  }

  private expressions(spec: ReadSpec, ctx: ExpressionContext, src: Source, query = false): { filter: Condition | undefined; paths: Path[] | undefined } {
    const filter = spec.filter !== undefined ? parseCondition(spec.filter, 'FilterExpression', ctx) : undefined;
    // A Query's key condition already decides its key attributes; a Scan may filter on them.
    if (filter && query) {
      const keys = keyNames(src.table.key).concat(src.index ? keyNames(src.index.key) : []);
      for (const p of conditionPaths(filter)) {
        const top = p[0];
        if (top && 'name' in top && keys.includes(top.name)) throw DynamoDbErrors.validation(`Filter Expression can only contain non-primary key attributes: Primary key attribute: ${top.name}`);
      }
    }
    const paths = spec.projection !== undefined ? parseProjection(spec.projection, ctx) : undefined;
    if (spec.select === 'COUNT' && paths) throw DynamoDbErrors.validation('Cannot specify the AttributesToGet or ProjectionExpression when choosing to get only the Count');
    ctx.assertAllUsed();
    return { filter, paths };
  }

  private startKey(spec: ReadSpec, src: Source): Item | undefined {
    if (!spec.exclusiveStartKey) return undefined;
    const key = checkItem(spec.exclusiveStartKey);
    const needed = [...new Set([...keyNames(src.table.key), ...(src.index ? keyNames(src.index.key) : [])])];
    if (Object.keys(key).length !== needed.length || needed.some((n) => key[n] === undefined)) {
      throw DynamoDbErrors.validation('The provided starting key is invalid: The provided key element does not match the schema');
    }
    return key;
  }

  /** Reads store pages until Limit items were read, 1 MB was read, or the range ends. */
  private async collect(
    spec: ReadSpec,
    src: Source,
    filter: Condition | undefined,
    paths: Path[] | undefined,
    read: (limit: number, after: Item | undefined) => Promise<Item[]>,
  ): Promise<ReadResult> {
    const limit = spec.limit ?? Infinity;
    const items: Item[] = [];
    let scanned = 0;
    let count = 0;
    let bytes = 0;
    let last: Item | undefined;
    let more = true;
    while (scanned < limit && bytes < MAX_PAGE_BYTES) {
      const want = Math.min(STORE_PAGE, limit - scanned);
      const rows = await read(want, last);
      for (const row of rows) {
        scanned++;
        bytes += itemSize(row);
        last = row;
        if (!filter || evaluate(filter, row)) {
          count++;
          if (spec.select !== 'COUNT') items.push(paths ? project(row, paths) : row);
        }
        if (bytes >= MAX_PAGE_BYTES) break;
      }
      if (rows.length < want) {
        more = false;
        break;
      }
    }
    const stoppedEarly = more && last !== undefined && (scanned >= limit || bytes >= MAX_PAGE_BYTES);
    return { items, count, scanned, lastKey: stoppedEarly ? positionKey(src, last!) : undefined };
  }
}

/** LastEvaluatedKey: the table's key, and for an index the index's key too. */
function positionKey(src: Source, item: Item): Item {
  const key = keyOf(src.table, item);
  if (src.index) for (const n of keyNames(src.index.key)) key[n] = item[n]!;
  return key;
}

function rowPosition(src: Source, key: Item): { sk: Buffer; tablePk?: Buffer; tableSk?: Buffer } {
  const sk = src.key.range ? encodeKey(key[src.key.range.name]!) : Buffer.alloc(0);
  if (!src.index) return { sk };
  const t = src.table.key;
  return { sk, tablePk: encodeKey(key[t.hash.name]!), tableSk: t.range ? encodeKey(key[t.range.name]!) : Buffer.alloc(0) };
}

function segmentRange(segment: number | undefined, total: number | undefined): { from: number; to: number } {
  if (segment === undefined && total === undefined) return { from: 0, to: HASH_SPACE };
  if (total === undefined) throw DynamoDbErrors.validation('The TotalSegments parameter is required but was not present in the request when Segment parameter is present');
  if (segment === undefined) throw DynamoDbErrors.validation('The Segment parameter is required but was not present in the request when parameter TotalSegments is present');
  if (segment >= total) throw DynamoDbErrors.validation(`The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: ${segment} is not less than TotalSegments: ${total}`);
  return { from: Math.floor((segment * HASH_SPACE) / total), to: Math.floor(((segment + 1) * HASH_SPACE) / total) };
}

function conditionPaths(c: Condition): Path[] {
  const ofOperand = (o: Operand): Path[] => (o.kind === 'path' || o.kind === 'size' ? [o.path] : []);
  switch (c.kind) {
    case 'and':
    case 'or':
      return [...conditionPaths(c.left), ...conditionPaths(c.right)];
    case 'not':
      return conditionPaths(c.condition);
    case 'compare':
      return [...ofOperand(c.left), ...ofOperand(c.right)];
    case 'between':
      return [c.operand, c.low, c.high].flatMap(ofOperand);
    case 'in':
      return [c.operand, ...c.list].flatMap(ofOperand);
    case 'function':
      return c.args.flatMap(ofOperand);
  }
}

const keyError = (message: string) => DynamoDbErrors.validation(`Invalid KeyConditionExpression: ${message}`);

/** The partition key's value and the sort key's range that a KeyConditionExpression names. */
function keyRange(c: Condition, key: KeySchema): { pk: Buffer; sk: SortCondition | undefined } {
  const parts = c.kind === 'and' ? [c.left, c.right] : [c];
  if (parts.some((p) => p.kind === 'and')) throw keyError('The expression has too many conditions on the key attributes');
  let pk: Buffer | undefined;
  let sk: SortCondition | undefined;
  for (const p of parts) {
    if (p.kind === 'or' || p.kind === 'not') throw DynamoDbErrors.validation(`Invalid operator used in KeyConditionExpression: ${p.kind.toUpperCase()}`);
    const { name, values, op } = keyPart(p);
    const attr = name === key.hash.name ? key.hash : name === key.range?.name ? key.range : undefined;
    if (!attr) throw DynamoDbErrors.validation(`Query condition missed key schema element: ${pk === undefined && name !== key.hash.name ? key.hash.name : (key.range?.name ?? key.hash.name)}`);
    for (const v of values) if (typeOf(v) !== attr.type) throw DynamoDbErrors.invalidParameter(`Condition parameter type does not match schema type`);
    if (attr === key.hash) {
      if (op !== 'eq') throw DynamoDbErrors.validation('Query key condition not supported');
      if (pk !== undefined) throw keyError('The expression has too many conditions on the key attributes');
      pk = encodeKey(values[0]!);
    } else {
      if (sk !== undefined) throw keyError('The expression has too many conditions on the key attributes');
      if (op === 'prefix' && attr.type === 'N') throw keyError('Incorrect operand type for operator or function; operator or function: begins_with, operand type: N');
      sk = op === 'between' ? { op, low: encodeKey(values[0]!), high: encodeKey(values[1]!) } : { op, value: encodeKey(values[0]!) };
      if (op === 'between' && Buffer.compare(sk.op === 'between' ? sk.low : Buffer.alloc(0), sk.op === 'between' ? sk.high : Buffer.alloc(0)) > 0) {
        throw keyError('The BETWEEN operator requires upper bound to be greater than or equal to lower bound');
      }
    }
  }
  if (pk === undefined) throw DynamoDbErrors.validation(`Query condition missed key schema element: ${key.hash.name}`);
  return { pk, sk };
}

const FLIP = { eq: 'eq', lt: 'gt', le: 'ge', gt: 'lt', ge: 'le' } as const;
const OPS = { '=': 'eq', '<': 'lt', '<=': 'le', '>': 'gt', '>=': 'ge' } as const;

function keyPart(c: Condition): { name: string; values: Value[]; op: SortCondition['op'] } {
  const pathName = (o: Operand) => (o.kind === 'path' && o.path.length === 1 && 'name' in o.path[0]! ? o.path[0].name : undefined);
  const value = (o: Operand) => (o.kind === 'value' ? o.value : undefined);
  if (c.kind === 'compare') {
    if (c.op === '<>') throw DynamoDbErrors.validation('Unsupported operator on KeyConditionExpression: operator: <>');
    const op = OPS[c.op];
    const [l, r] = [pathName(c.left), pathName(c.right)];
    if (l !== undefined && value(c.right)) return { name: l, values: [value(c.right)!], op };
    if (r !== undefined && value(c.left)) return { name: r, values: [value(c.left)!], op: FLIP[op] };
  } else if (c.kind === 'between') {
    const name = pathName(c.operand);
    const [low, high] = [value(c.low), value(c.high)];
    if (name !== undefined && low && high) return { name, values: [low, high], op: 'between' };
  } else if (c.kind === 'function' && c.name === 'begins_with') {
    const name = pathName(c.args[0]!);
    const v = value(c.args[1]!);
    if (name !== undefined && v) return { name, values: [v], op: 'prefix' };
  } else if (c.kind === 'function') {
    throw keyError(`Invalid function name; function: ${c.name}`);
  }
  throw DynamoDbErrors.validation('Query key condition not supported');
}
