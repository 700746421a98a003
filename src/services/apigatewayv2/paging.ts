/**
 * API Gateway v2's list paging: `MaxResults` (a string on the wire, as the model has it) and an
 * opaque `NextToken` naming where the next page begins. Without `MaxResults`, one page holds all.
 */
import { ApiGatewayV2Errors } from '../../wire/errors.js';

export interface PageInput {
  MaxResults?: string | undefined;
  NextToken?: string | undefined;
}

const TOKEN_PREFIX = 'p1:';

function start(token: string | undefined, total: number): number {
  if (token === undefined) return 0;
  const text = Buffer.from(token, 'base64url').toString('utf8');
  const offset = text.startsWith(TOKEN_PREFIX) ? Number(text.slice(TOKEN_PREFIX.length)) : NaN;
  if (!Number.isInteger(offset) || offset < 0 || offset > total) throw ApiGatewayV2Errors.badRequest('Invalid NextToken');
  return offset;
}

function limit(max: string | undefined): number {
  if (max === undefined) return Infinity;
  const n = Number(max);
  if (!/^\d+$/.test(max) || n < 1) throw ApiGatewayV2Errors.badRequest(`Invalid MaxResults: ${max}`);
  return n;
}

/** One page of `items`, rendered, with the token of the next when more remain. */
export function pageOf<T, R>(items: readonly T[], input: PageInput, render: (t: T) => R): { Items: R[]; NextToken?: string } {
  const from = start(input.NextToken, items.length);
  const to = Math.min(items.length, from + limit(input.MaxResults));
  const page = { Items: items.slice(from, to).map(render) };
  return to < items.length ? { ...page, NextToken: Buffer.from(`${TOKEN_PREFIX}${to}`).toString('base64url') } : page;
}
