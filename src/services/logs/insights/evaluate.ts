/**
 * Runs a parsed query over events' rows: the commands in order, then the columns the last `fields` or
 * `stats` names (by default @timestamp, @message, @logStream, @log), each value as the text Insights
 * returns (times as `YYYY-MM-DD HH:MM:SS.mmm` UTC).
 */
import type { Row } from './fields.js';
import type { Command, Expr } from './parser.js';

export interface ResultField {
  field: string;
  value: string;
}

const TIME_FIELDS = new Set(['@timestamp', '@ingestionTime']);
const DEFAULT_COLUMNS = ['@timestamp', '@message', '@logStream', '@log'];
/** Marks a value as a point in time, so that it prints as one (bin() results). */
class Instant {
  constructor(readonly ms: number) {}
}

const num = (v: unknown): number | undefined => {
  if (v instanceof Instant) return v.ms;
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  return undefined;
};
const str = (v: unknown): string => (v instanceof Instant ? formatTime(v.ms) : typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v));
const truthy = (v: unknown): boolean => v !== undefined && v !== null && v !== false && v !== 0 && v !== '';

export function formatTime(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').replace('Z', '');
}

function compare(a: unknown, b: unknown): number | undefined {
  if (a === undefined || b === undefined || a === null || b === null) return undefined;
  const x = num(a);
  const y = num(b);
  if (x !== undefined && y !== undefined) return x - y;
  const s = str(a);
  const t = str(b);
  return s < t ? -1 : s > t ? 1 : 0;
}

export function evaluate(e: Expr, row: Row): unknown {
  switch (e.k) {
    case 'field':
      return row.get(e.name);
    case 'num':
      return e.v;
    case 'str':
      return e.v;
    case 'neg': {
      const v = num(evaluate(e.e, row));
      return v === undefined ? undefined : -v;
    }
    case 'not':
      return !truthy(evaluate(e.e, row));
    case 'like': {
      const v = evaluate(e.e, row);
      if (v === undefined || v === null) return false;
      return typeof e.pattern === 'string' ? str(v).includes(e.pattern) : e.pattern.test(str(v));
    }
    case 'in': {
      const v = evaluate(e.e, row);
      return e.list.some((x) => compare(v, evaluate(x, row)) === 0);
    }
    case 'bin': {
      const v = num(evaluate(e.e, row));
      return v === undefined ? undefined : new Instant(Math.floor(v / e.periodMs) * e.periodMs);
    }
    case 'call': {
      const v = evaluate(e.args[0]!, row);
      if (e.name === 'ispresent') return v !== undefined && v !== null;
      if (v === undefined || v === null) return undefined;
      if (e.name === 'strlen') return str(v).length;
      if (e.name === 'tolower') return str(v).toLowerCase();
      if (e.name === 'toupper') return str(v).toUpperCase();
      const x = num(v);
      if (x === undefined) return undefined;
      return e.name === 'abs' ? Math.abs(x) : e.name === 'floor' ? Math.floor(x) : Math.ceil(x);
    }
    case 'binary': {
      if (e.op === 'and') return truthy(evaluate(e.l, row)) && truthy(evaluate(e.r, row));
      if (e.op === 'or') return truthy(evaluate(e.l, row)) || truthy(evaluate(e.r, row));
      const l = evaluate(e.l, row);
      const r = evaluate(e.r, row);
      if (['+', '-', '*', '/', '%'].includes(e.op)) {
        const x = num(l);
        const y = num(r);
        if (x === undefined || y === undefined) return undefined;
        return e.op === '+' ? x + y : e.op === '-' ? x - y : e.op === '*' ? x * y : e.op === '/' ? x / y : x % y;
      }
      const c = compare(l, r);
      if (c === undefined) return false;
      return e.op === '=' ? c === 0 : e.op === '!=' ? c !== 0 : e.op === '<' ? c < 0 : e.op === '<=' ? c <= 0 : e.op === '>' ? c > 0 : c >= 0;
    }
  }
}

/** The rows a query leaves, and the columns it shows. */
export interface Outcome {
  rows: Row[];
  columns: string[];
  /** Events that passed the filters before any stats: Insights' recordsMatched. */
  matched: number;
}

export function run(commands: readonly Command[], input: Iterable<Row>, limit: number): Outcome {
  let rows = [...input];
  let columns = DEFAULT_COLUMNS;
  let cap = limit;
  let matched: number | undefined;
  for (const c of commands) {
    switch (c.k) {
      case 'filter':
        rows = rows.filter((r) => truthy(evaluate(c.expr, r)));
        break;
      case 'fields':
        for (const r of rows) for (const f of c.items) if (f.expr.k !== 'field' || f.name !== f.expr.name) r.set(f.name, evaluate(f.expr, r));
        columns = c.items.map((f) => f.name);
        break;
      case 'parse':
        for (const r of rows) {
          const m = (c.glob?.re ?? c.regex!).exec(str(evaluate(c.field, r)));
          if (!m) continue;
          if (c.glob) c.glob.names.forEach((n, i) => r.set(n, m[i + 1]));
          else for (const [n, v] of Object.entries(m.groups ?? {})) r.set(n, v);
        }
        break;
      case 'stats':
        matched ??= rows.length;
        rows = stats(c, rows);
        columns = [...c.by.map((b) => b.name), ...c.aggs.map((a) => a.name)];
        break;
      case 'sort':
        rows.sort((a, b) => {
          for (const k of c.keys) {
            const x = evaluate(k.expr, a);
            const y = evaluate(k.expr, b);
            // Rows without the field go last, either way.
            if (x === undefined || y === undefined) {
              if (x !== y) return x === undefined ? 1 : -1;
              continue;
            }
            const d = compare(x, y) ?? 0;
            if (d !== 0) return k.desc ? -d : d;
          }
          return 0;
        });
        break;
      case 'limit':
        cap = Math.min(cap, c.n);
        break;
    }
  }
  return { rows: rows.slice(0, cap), columns, matched: matched ?? rows.length };
}

function stats(c: Extract<Command, { k: 'stats' }>, rows: readonly Row[]): Row[] {
  interface Acc {
    key: unknown[];
    count: number[];
    sum: number[];
    n: number[];
    min: (number | undefined)[];
    max: (number | undefined)[];
    distinct: Set<string>[];
  }
  const groups = new Map<string, Acc>();
  for (const r of rows) {
    const key = c.by.map((b) => evaluate(b.expr, r));
    const id = JSON.stringify(key.map((k) => (k instanceof Instant ? k.ms : k)));
    let acc = groups.get(id);
    if (!acc) groups.set(id, (acc = { key, count: c.aggs.map(() => 0), sum: c.aggs.map(() => 0), n: c.aggs.map(() => 0), min: c.aggs.map(() => undefined), max: c.aggs.map(() => undefined), distinct: c.aggs.map(() => new Set<string>()) }));
    c.aggs.forEach((a, i) => {
      if (a.arg === undefined) {
        acc.count[i]!++;
        return;
      }
      const v = evaluate(a.arg, r);
      if (v === undefined || v === null) return;
      acc.count[i]!++;
      if (a.fn === 'count_distinct') acc.distinct[i]!.add(str(v));
      const x = num(v);
      if (x === undefined) return;
      acc.sum[i]! += x;
      acc.n[i]!++;
      acc.min[i] = Math.min(acc.min[i] ?? x, x);
      acc.max[i] = Math.max(acc.max[i] ?? x, x);
    });
  }
  return [...groups.values()].map((acc) => {
    const row: Row = new Map();
    c.by.forEach((b, i) => row.set(b.name, acc.key[i]));
    c.aggs.forEach((a, i) => {
      const n = acc.n[i]!;
      const value = a.fn === 'count' ? acc.count[i] : a.fn === 'count_distinct' ? acc.distinct[i]!.size : n === 0 ? undefined : a.fn === 'sum' ? acc.sum[i] : a.fn === 'avg' ? acc.sum[i]! / n : a.fn === 'min' ? acc.min[i] : acc.max[i];
      row.set(a.name, value);
    });
    return row;
  });
}

/** A row as GetQueryResults returns it: the shown columns that have a value, as text. */
export function render(row: Row, columns: readonly string[]): ResultField[] {
  const out: ResultField[] = [];
  for (const col of columns) {
    const v = row.get(col);
    if (v === undefined || v === null) continue;
    out.push({ field: col, value: TIME_FIELDS.has(col) && typeof v === 'number' ? formatTime(v) : str(v) });
  }
  return out;
}
