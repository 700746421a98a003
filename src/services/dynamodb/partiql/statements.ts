/**
 * ExecuteStatement, BatchExecuteStatement and ExecuteTransaction: each parsed statement becomes the
 * Query, Scan, GetItem, PutItem, UpdateItem or DeleteItem (or transaction item) it stands for.
 */
import { AwsError } from '../../../wire/errors/core.js';
import { DynamoDbErrors, isConditionalCheckFailed } from '../../../wire/errors.js';
import type { ItemService, ReturnValues } from '../item-service.js';
import type { Queries, ReadResult } from '../queries.js';
import type { TableService } from '../table-service.js';
import { indexNamed, keyNames, type TableRecord } from '../table.js';
import type { TransactWrite, Transactions } from '../transactions.js';
import { itemToJson, parseStoredItem, type Item } from '../values.js';
import type { WriteSpec } from '../write-plan.js';
import type { Placeholders, Statement, Where } from './ast.js';
import { parseStatement } from './parser.js';

export interface StatementOptions {
  parameters?: readonly unknown[] | undefined;
  consistentRead?: boolean | undefined;
  limit?: number | undefined;
  nextToken?: string | undefined;
  returnOnFailure?: 'ALL_OLD' | 'NONE' | undefined;
}

export interface StatementResult {
  items: Item[];
  lastKey?: Item | undefined;
}

export interface BatchResult {
  table: string | undefined;
  item?: Item | undefined;
  error?: { code: string; message: string; item?: Item | undefined };
}

/** BatchStatementErrorCodeEnum, from the exception each statement failed with. */
const BATCH_CODES: Record<string, string> = {
  ConditionalCheckFailedException: 'ConditionalCheckFailed',
  DuplicateItemException: 'DuplicateItem',
  ResourceNotFoundException: 'ResourceNotFound',
  ValidationException: 'ValidationError',
  TransactionConflictException: 'TransactionConflict',
};

const MAX_BATCH = 25;

/** The expression maps, or undefined when empty (DynamoDB refuses empty ones). */
const maps = (p: Placeholders) => ({
  names: Object.keys(p.names).length > 0 ? p.names : undefined,
  values: Object.keys(p.values).length > 0 ? p.values : undefined,
});

export class PartiqlStatements {
  constructor(
    private readonly tables: TableService,
    private readonly items: ItemService,
    private readonly queries: Queries,
    private readonly transactions: Transactions,
  ) {}

  async execute(text: string, o: StatementOptions): Promise<StatementResult> {
    const s = parseStatement(text, o.parameters);
    switch (s.kind) {
      case 'select':
        return this.select(s, o);
      case 'insert':
        await this.insert(s);
        return { items: [] };
      default: {
        const table = await this.tables.forItems(s.table);
        const returnValues: ReturnValues | undefined = s.returning;
        const before = await this.items.write(s.table, writeSpec(table, s), { returnValues, returnOnFailure: o.returnOnFailure });
        return { items: before ? [before] : [] };
      }
    }
  }

  /** Up to 25 statements, each on its own: a failure is that statement's answer, not the call's. */
  async batch(statements: readonly ({ statement: string } & StatementOptions)[]): Promise<BatchResult[]> {
    if (statements.length > MAX_BATCH) throw DynamoDbErrors.validation(`Member must have length less than or equal to ${MAX_BATCH}`);
    const out: BatchResult[] = [];
    for (const st of statements) {
      let table: string | undefined;
      try {
        const s = parseStatement(st.statement, st.parameters);
        table = s.table;
        if (s.kind === 'select') {
          const item = await this.getOne(s, st.consistentRead);
          out.push({ table, ...(item ? { item } : {}) });
        } else {
          await this.execute(st.statement, { ...st, limit: undefined, nextToken: undefined });
          out.push({ table });
        }
      } catch (err) {
        if (!(err instanceof AwsError)) throw err;
        const item = (err.fields as { Item?: Item }).Item;
        out.push({ table, error: { code: BATCH_CODES[err.kind.name] ?? 'InternalServerError', message: err.message, ...(item ? { item } : {}) } });
      }
    }
    return out;
  }

  /** All reads (each one item by its key) or all writes, together. */
  async transaction(statements: readonly ({ statement: string } & StatementOptions)[], token: string | undefined, digest: string): Promise<(Item | undefined)[] | undefined> {
    const parsed = statements.map((st) => ({ s: parseStatement(st.statement, st.parameters), returnOnFailure: st.returnOnFailure }));
    const reads = parsed.filter((p) => p.s.kind === 'select').length;
    if (reads > 0 && reads < parsed.length) throw DynamoDbErrors.validation('Transaction must contain either all reads or all writes');
    if (reads > 0) {
      const gets = [];
      for (const { s } of parsed) {
        if (s.kind !== 'select') continue;
        const table = await this.tables.forItems(s.table);
        gets.push({ table: s.table, key: keyFrom(table, s.where), read: { projection: s.projection, names: s.projection ? namesIn(s.projection, s.names) : undefined } });
      }
      return this.transactions.get(gets);
    }
    const writes: TransactWrite[] = [];
    for (const { s, returnOnFailure } of parsed) {
      if (s.kind === 'select') continue;
      const table = await this.tables.forItems(s.table);
      writes.push({ table: s.table, spec: writeSpec(table, s), returnOnFailure });
    }
    await this.transactions.write(writes, token, digest);
    return undefined;
  }

  private async select(s: Extract<Statement, { kind: 'select' }>, o: StatementOptions): Promise<StatementResult> {
    const table = await this.tables.forItems(s.table);
    const key = s.index === undefined ? table.key : indexNamed(table, s.index)?.key;
    const { names, values } = maps(s);
    const spec = {
      table: s.table,
      index: s.index,
      filter: s.where?.text,
      projection: s.projection,
      names,
      values,
      limit: o.limit,
      consistentRead: o.consistentRead,
      exclusiveStartKey: o.nextToken === undefined ? undefined : fromToken(o.nextToken),
    };
    const partition = key && s.where?.equalities.get(key.hash.name);
    let r: ReadResult;
    if (partition) {
      r = await this.queries.query({ ...spec, keyCondition: `${partition.name} = ${partition.value}`, forward: s.forward, filterHasKeys: true });
    } else {
      if (s.forward !== undefined) throw DynamoDbErrors.validation('Must have WHERE clause in the statement when using ORDER BY clause.');
      r = await this.queries.scan(spec);
    }
    return { items: r.items, lastKey: r.lastKey };
  }

  /** A batch's SELECT reads one item, named by its whole key. */
  private async getOne(s: Extract<Statement, { kind: 'select' }>, consistentRead: boolean | undefined): Promise<Item | undefined> {
    const table = await this.tables.forItems(s.table);
    keyFrom(table, s.where);
    const r = await this.select(s, { consistentRead });
    return r.items[0];
  }

  private async insert(s: Extract<Statement, { kind: 'insert' }>): Promise<void> {
    const table = await this.tables.forItems(s.table);
    try {
      await this.items.write(s.table, writeSpec(table, s), {});
    } catch (err) {
      throw isConditionalCheckFailed(err) ? DynamoDbErrors.duplicateItem() : err;
    }
  }
}

/**
 * The write a statement stands for. INSERT puts only where no item is; UPDATE needs the item there
 * (its key terms are its condition); DELETE of no item does nothing, of an item the clause rejects
 * fails.
 */
function writeSpec(table: TableRecord, s: Exclude<Statement, { kind: 'select' }>): WriteSpec {
  const { names, values } = maps(s);
  switch (s.kind) {
    case 'insert':
      return { kind: 'put', item: s.item, condition: 'attribute_not_exists(#k)', names: { '#k': table.key.hash.name } };
    case 'update':
      return { kind: 'update', key: keyFrom(table, s.where), update: s.update, condition: s.where.text, names, values };
    case 'delete': {
      const hash = s.where.equalities.get(table.key.hash.name)!;
      const key = keyFrom(table, s.where);
      return { kind: 'delete', key, condition: `attribute_not_exists(${hash.name}) OR (${s.where.text})`, names, values };
    }
  }
}

/** The item key a WHERE clause names by equality on every key attribute. */
function keyFrom(table: TableRecord, where: Where | undefined): Record<string, unknown> {
  const key: Record<string, unknown> = {};
  for (const name of keyNames(table.key)) {
    const term = where?.equalities.get(name);
    if (!term) throw DynamoDbErrors.validation('Where clause does not contain a mandatory equality on all key attributes');
    key[name] = term.raw;
  }
  return key;
}

/** The names an expression uses, of a statement's. */
const namesIn = (text: string, names: Record<string, string>): Record<string, string> =>
  Object.fromEntries(Object.entries(names).filter(([token]) => new RegExp(`${token}(?![0-9])`).test(text)));

export const toToken = (key: Item): string => Buffer.from(JSON.stringify(itemToJson(key))).toString('base64');

function fromToken(token: string): Record<string, unknown> {
  try {
    return parseStoredItem(Buffer.from(token, 'base64').toString('utf8'));
  } catch {
    throw DynamoDbErrors.validation('Invalid NextToken');
  }
}
