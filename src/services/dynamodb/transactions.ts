/**
 * TransactWriteItems and TransactGetItems. A write transaction decides every item inside one store
 * transaction: if any condition fails, nothing is written and each item gets its reason. A client
 * request token, kept in the store with the writes, makes a repeated call (within 10 minutes, on any
 * node) succeed without writing again.
 */
import { createHash } from 'node:crypto';
import type { Clock } from '../../lib/clock.js';
import type { DynamoDbRepo, ItemRef } from '../../storage/dynamodb-repo.js';
import type { Path } from './expressions/ast.js';
import { DynamoDbErrors } from '../../wire/errors.js';
import { project } from './expressions/projection.js';
import { itemWrite } from './item-writes.js';
import { projectionOf, type ReadOptions } from './item-service.js';
import { refOfKey } from './keys.js';
import type { TableService } from './table-service.js';
import { checkItem, type Item } from './values.js';
import { decide, planWrite, type PlannedWrite, type WriteSpec } from './write-plan.js';

export const MAX_TRANSACTION_ITEMS = 100;
const TOKEN_TTL_MS = 10 * 60_000;

export interface TransactWrite {
  table: string;
  spec: WriteSpec;
  returnOnFailure?: 'ALL_OLD' | 'NONE' | undefined;
}

export interface CancellationReason {
  Code: 'None' | 'ConditionalCheckFailed';
  Message?: string;
  Item?: Item;
}

export class Transactions {
  constructor(
    private readonly repo: DynamoDbRepo,
    private readonly tables: TableService,
    private readonly clock: Clock,
  ) {}

  /** Writes all or nothing; throws TransactionCanceledException with a reason per item. */
  async write(items: readonly TransactWrite[], token: string | undefined, requestDigest: string): Promise<void> {
    if (items.length === 0 || items.length > MAX_TRANSACTION_ITEMS) {
      throw DynamoDbErrors.validation(`1 validation error detected: Value at 'transactItems' failed to satisfy constraint: Member must have length less than or equal to ${MAX_TRANSACTION_ITEMS}`);
    }
    const plans: { plan: PlannedWrite; returnOnFailure: TransactWrite['returnOnFailure'] }[] = [];
    for (const i of items) plans.push({ plan: planWrite(await this.tables.forItems(i.table), i.spec), returnOnFailure: i.returnOnFailure });
    const ids = plans.map(({ plan }) => `${plan.table.name}/${plan.ref.pk.toString('hex')}/${plan.ref.sk.toString('hex')}`);
    if (new Set(ids).size !== ids.length) throw DynamoDbErrors.validation('Transaction request cannot include multiple operations on one item');
    const now = this.clock.now();
    const outcome = await this.repo.writeItems(
      plans.map(({ plan }) => plan.ref),
      (current) => {
        const decisions = plans.map(({ plan }, i) => decide(plan, current[i]));
        if (decisions.some((d) => !d.passed)) {
          throw DynamoDbErrors.transactionCanceled(
            decisions.map((d, i): CancellationReason => {
              if (d.passed) return { Code: 'None' };
              const item = plans[i]!.returnOnFailure === 'ALL_OLD' ? current[i] : undefined;
              return { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed', ...(item ? { Item: item } : {}) };
            }),
          );
        }
        return decisions.flatMap((d, i) => (d.writes ? [itemWrite(plans[i]!.plan.table, plans[i]!.plan.ref, current[i], d.after, { now, withStream: true })] : []));
      },
      token === undefined ? undefined : { id: token, digest: requestDigest, at: now, since: now - TOKEN_TTL_MS },
    );
    if (outcome === 'mismatch') throw DynamoDbErrors.idempotentParameterMismatch();
  }

  async get(gets: readonly { table: string; key: Record<string, unknown>; read: ReadOptions }[]): Promise<(Item | undefined)[]> {
    if (gets.length === 0 || gets.length > MAX_TRANSACTION_ITEMS) throw DynamoDbErrors.validation('TransactGetItems takes 1 to 100 items');
    const refs: ItemRef[] = [];
    const projections: (Path[] | undefined)[] = [];
    for (const g of gets) {
      const t = await this.tables.forItems(g.table);
      refs.push(refOfKey(t, checkItem(g.key)));
      projections.push(projectionOf(g.read));
    }
    // One read of every item: the store answers from one snapshot.
    const items = await this.repo.getItems(refs);
    return items.map((item, i) => (item && projections[i] ? project(item, projections[i]!) : item));
  }
}

/** A digest of a request's content, to tell a retried transaction from a different one. */
export const digestOf = (input: unknown): string => createHash('sha256').update(JSON.stringify(input)).digest('hex');
