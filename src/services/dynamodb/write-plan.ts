/**
 * One item write (put, update, delete, or a transaction's condition check): its expressions parsed
 * once, then decided against the item as it is inside the store's transaction.
 */
import { DynamoDbErrors } from '../../wire/errors.js';
import type { ItemRef } from '../../storage/dynamodb-repo.js';
import type { Condition, UpdateAction } from './expressions/ast.js';
import { ExpressionContext } from './expressions/context.js';
import { evaluate } from './expressions/evaluate.js';
import { parseCondition, parseUpdate } from './expressions/parser.js';
import { applyUpdate, checkOverlaps } from './expressions/update.js';
import { keyOf, refOfItem, refOfKey } from './keys.js';
import { keyNames, type TableRecord } from './table.js';
import { checkItem, checkItemSize, type Item } from './values.js';

export interface Expressions {
  condition?: string | undefined;
  names?: Record<string, string> | undefined;
  values?: Record<string, unknown> | undefined;
}

export type WriteSpec =
  | ({ kind: 'put'; item: Record<string, unknown> } & Expressions)
  | ({ kind: 'update'; key: Record<string, unknown>; update?: string | undefined } & Expressions)
  | ({ kind: 'delete'; key: Record<string, unknown> } & Expressions)
  | ({ kind: 'check'; key: Record<string, unknown> } & Expressions);

export interface PlannedWrite {
  table: TableRecord;
  ref: ItemRef;
  kind: WriteSpec['kind'];
  /** Put's item, or the key of the others. */
  item: Item;
  condition: Condition | undefined;
  actions: UpdateAction[];
}

export interface Decision {
  passed: boolean;
  /** The item after the write (undefined: deleted or never there). */
  after: Item | undefined;
  /** False for a condition check, or a delete of nothing: the store leaves the item alone. */
  writes: boolean;
}

export function planWrite(table: TableRecord, spec: WriteSpec): PlannedWrite {
  const ctx = new ExpressionContext(spec.names, spec.values);
  const condition = spec.condition !== undefined ? parseCondition(spec.condition, 'ConditionExpression', ctx) : undefined;
  if (spec.kind === 'check' && condition === undefined) throw DynamoDbErrors.validation('ConditionExpression must be specified for ConditionCheck');
  const actions = spec.kind === 'update' && spec.update !== undefined ? parseUpdate(spec.update, ctx) : [];
  // Placeholders with no expression to use them: DynamoDB names the first it finds.
  const anyExpression = condition !== undefined || (spec.kind === 'update' && spec.update !== undefined);
  if (!anyExpression && spec.values !== undefined) throw DynamoDbErrors.validation('ExpressionAttributeValues can only be specified when using expressions: ConditionExpression is null');
  if (!anyExpression && spec.names !== undefined) throw DynamoDbErrors.validation('ExpressionAttributeNames can only be specified when using expressions');
  ctx.assertAllUsed();
  checkOverlaps(actions);
  const keys = keyNames(table.key);
  for (const a of actions) {
    const top = a.path[0];
    if (top && 'name' in top && keys.includes(top.name)) throw DynamoDbErrors.invalidParameter(`Cannot update attribute ${top.name}. This attribute is part of the key`);
  }
  if (spec.kind === 'put') {
    const item = checkItem(spec.item);
    const ref = refOfItem(table, item);
    checkItemSize(item);
    return { table, ref, kind: 'put', item, condition, actions };
  }
  const key = checkItem(spec.key);
  return { table, ref: refOfKey(table, key), kind: spec.kind, item: key, condition, actions };
}

export function decide(p: PlannedWrite, current: Item | undefined): Decision {
  if (p.condition && !evaluate(p.condition, current ?? {})) return { passed: false, after: current, writes: false };
  switch (p.kind) {
    case 'check':
      return { passed: true, after: current, writes: false };
    case 'delete':
      return { passed: true, after: undefined, writes: current !== undefined };
    case 'put':
      return { passed: true, after: p.item, writes: true };
    case 'update': {
      const after = applyUpdate(current ?? keyOf(p.table, p.item), p.actions);
      checkItemSize(after);
      return { passed: true, after, writes: true };
    }
  }
}
