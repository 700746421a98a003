/** Single-item and batch reads and writes. Every write decides inside the store's transaction. */
import type { Clock } from '../../lib/clock.js';
import type { DynamoDbRepo } from '../../storage/dynamodb-repo.js';
import { DynamoDbErrors } from '../../wire/errors.js';
import type { Path } from './expressions/ast.js';
import { ExpressionContext } from './expressions/context.js';
import { parseProjection } from './expressions/parser.js';
import { project } from './expressions/projection.js';
import { itemWrite } from './item-writes.js';
import { refOfKey } from './keys.js';
import type { TableService } from './table-service.js';
import type { TableRecord } from './table.js';
import { checkItem, type Item } from './values.js';
import { decide, planWrite, type Decision, type PlannedWrite, type WriteSpec } from './write-plan.js';

export type ReturnValues = 'NONE' | 'ALL_OLD' | 'UPDATED_OLD' | 'ALL_NEW' | 'UPDATED_NEW';

export interface WriteOptions {
  returnValues?: ReturnValues | undefined;
  /** ALL_OLD: a failed condition returns the item as it was. */
  returnOnFailure?: 'ALL_OLD' | 'NONE' | undefined;
}

export interface ReadOptions {
  projection?: string | undefined;
  names?: Record<string, string> | undefined;
}

export const MAX_BATCH_GET = 100;
export const MAX_BATCH_WRITE = 25;

/** A ProjectionExpression's paths (names resolved), or undefined for the whole item. */
export function projectionOf(o: ReadOptions): Path[] | undefined {
  if (o.projection === undefined) {
    if (o.names !== undefined) throw DynamoDbErrors.validation('ExpressionAttributeNames can only be specified when using expressions');
    return undefined;
  }
  const ctx = new ExpressionContext(o.names, undefined);
  const paths = parseProjection(o.projection, ctx);
  ctx.assertAllUsed();
  return paths;
}

export class ItemService {
  constructor(
    private readonly repo: DynamoDbRepo,
    private readonly tables: TableService,
    private readonly clock: Clock,
  ) {}

  async get(tableName: string, key: Record<string, unknown>, o: ReadOptions): Promise<Item | undefined> {
    const t = await this.tables.forItems(tableName);
    const paths = projectionOf(o);
    const [item] = await this.repo.getItems([refOfKey(t, checkItem(key))]);
    return item && paths ? project(item, paths) : item;
  }

  /** Put, update or delete one item; what ReturnValues asks for. */
  async write(tableName: string, spec: WriteSpec, o: WriteOptions): Promise<Item | undefined> {
    const t = await this.tables.forItems(tableName);
    if (spec.kind !== 'update' && o.returnValues !== undefined && o.returnValues !== 'NONE' && o.returnValues !== 'ALL_OLD') {
      throw DynamoDbErrors.validation('ReturnValues can only be ALL_OLD or NONE');
    }
    const plan = planWrite(t, spec);
    let result: { before: Item | undefined; decision: Decision } | undefined;
    const blind = isBlind(t, plan) && (o.returnValues ?? 'NONE') === 'NONE';
    await this.repo.writeItems(
      [plan.ref],
      ([current]) => {
        const decision = decide(plan, current);
        if (!decision.passed) throw DynamoDbErrors.conditionalCheckFailed(o.returnOnFailure === 'ALL_OLD' && current ? current : undefined);
        result = { before: current, decision };
        return decision.writes ? [itemWrite(t, plan.ref, current, decision.after, { now: this.clock.now(), withStream: true })] : [];
      },
      undefined,
      { blind },
    );
    const { before, decision } = result!;
    switch (o.returnValues ?? 'NONE') {
      case 'ALL_OLD':
        return before;
      case 'ALL_NEW':
        return decision.after;
      case 'UPDATED_OLD':
        return before && nonEmpty(project(before, plan.actions.map((a) => a.path)));
      case 'UPDATED_NEW':
        return decision.after && nonEmpty(project(decision.after, plan.actions.filter((a) => a.kind !== 'REMOVE').map((a) => a.path)));
      default:
        return undefined;
    }
  }

  async batchGet(requests: { table: string; keys: Record<string, unknown>[]; read: ReadOptions }[]): Promise<Map<string, Item[]>> {
    const total = requests.reduce((n, r) => n + r.keys.length, 0);
    if (total > MAX_BATCH_GET) throw DynamoDbErrors.validation(`Too many items requested for the BatchGetItem call`);
    const out = new Map<string, Item[]>();
    for (const r of requests) {
      const t = await this.tables.forItems(r.table);
      const paths = projectionOf(r.read);
      const refs = r.keys.map((k) => refOfKey(t, checkItem(k)));
      assertDistinct(refs.map((x) => `${x.pk.toString('hex')}/${x.sk.toString('hex')}`));
      const items = (await this.repo.getItems(refs)).filter((i): i is Item => i !== undefined);
      out.set(r.table, paths ? items.map((i) => project(i, paths)) : items);
    }
    return out;
  }

  /** Puts and deletes, at most 25, no two on one item; all applied together. */
  async batchWrite(requests: { table: string; put?: Record<string, unknown>; deleteKey?: Record<string, unknown> }[]): Promise<void> {
    if (requests.length > MAX_BATCH_WRITE) throw DynamoDbErrors.validation('Too many items requested for the BatchWriteItem call');
    const tables = new Map<string, TableRecord>();
    for (const r of requests) if (!tables.has(r.table)) tables.set(r.table, await this.tables.forItems(r.table));
    const plans = requests.map((r) => {
      const t = tables.get(r.table)!;
      if (r.put) return planWrite(t, { kind: 'put', item: r.put });
      return planWrite(t, { kind: 'delete', key: r.deleteKey! });
    });
    assertDistinct(plans.map((p) => `${p.table.name}/${p.ref.pk.toString('hex')}/${p.ref.sk.toString('hex')}`));
    await this.repo.writeItems(
      plans.map((p) => p.ref),
      (current) =>
        plans.flatMap((p, i) => {
          const d = decide(p, current[i]);
          return d.writes ? [itemWrite(p.table, p.ref, current[i], d.after, { now: this.clock.now(), withStream: true })] : [];
        }),
      undefined,
      { blind: plans.every((p) => isBlind(p.table, p)) },
    );
  }
}

/**
 * A put with no condition into a table with no stream decides nothing from the item it replaces
 * (its old index rows go by key): the store need not read it.
 */
const isBlind = (t: TableRecord, p: PlannedWrite): boolean => p.kind === 'put' && p.condition === undefined && t.stream?.enabled !== true;

function assertDistinct(ids: string[]): void {
  if (new Set(ids).size !== ids.length) throw DynamoDbErrors.validation('Provided list of item keys contains duplicates');
}

const nonEmpty = (item: Item): Item | undefined => (Object.keys(item).length > 0 ? item : undefined);

