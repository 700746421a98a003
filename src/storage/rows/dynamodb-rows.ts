/** SQL both DynamoDB adapters share. */
import type { SortCondition } from '../dynamodb-repo.js';

const OPS = { eq: '=', lt: '<', le: '<=', gt: '>', ge: '>=' } as const;

/**
 * The sort key condition as SQL on column `sk`: `param` binds a value and names its placeholder;
 * `prefix` writes the dialect's "first n bytes equal" test.
 */
export function sortClause(
  c: SortCondition | undefined,
  param: (name: string, value: unknown) => string,
  prefix: (column: string, length: number, placeholder: string) => string,
): string | undefined {
  if (!c) return undefined;
  if (c.op === 'between') return `sk >= ${param('low', c.low)} AND sk <= ${param('high', c.high)}`;
  if (c.op === 'prefix') {
    const p = param('prefix', c.value);
    // The range bound lets the primary key's index narrow the read; the prefix test makes it exact.
    return `sk >= ${p} AND ${prefix('sk', c.value.length, p)}`;
  }
  return `sk ${OPS[c.op]} ${param('skv', c.value)}`;
}
