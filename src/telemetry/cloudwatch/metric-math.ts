/**
 * CloudWatch's metric math, the part GetMetricData needs here: numbers, query ids, `+ - * /`,
 * parentheses, and SUM/AVG/MAX/MIN over an array of series (`[m1, m2]` or `METRICS()`) or over
 * one series (a number), plus ABS. SEARCH and Metrics Insights are not parsed.
 * Series combine point by point on the timestamps both have; a point that is not a finite number
 * (a division by zero) is left out, as CloudWatch leaves it out.
 */

/** A time series: value by timestamp (epoch ms). */
export type Series = Map<number, number>;
type Value = number | Series | Series[];

export class MathError extends Error {}

export interface MathContext {
  /** The series of another query, by its id; undefined when no query has that id. */
  series(id: string): Series | undefined;
  /** Every metric query's series (`METRICS()`). */
  metrics(): Series[];
}

type Token = { kind: 'num'; value: number } | { kind: 'id'; value: string } | { kind: 'op'; value: string };

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const re = /\s*(?:(\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)|([A-Za-z_][A-Za-z0-9_]*)|([-+*/(),[\]]))/y;
  let at = 0;
  while (at < text.length) {
    if (/^\s*$/.test(text.slice(at))) break;
    re.lastIndex = at;
    const m = re.exec(text);
    if (!m) throw new MathError(`Unexpected character at position ${at + 1}: '${text.slice(at).trim()[0]}'`);
    if (m[1] !== undefined) tokens.push({ kind: 'num', value: Number(m[1]) });
    else if (m[2] !== undefined) tokens.push({ kind: 'id', value: m[2] });
    else tokens.push({ kind: 'op', value: m[3]! });
    at = re.lastIndex;
  }
  return tokens;
}

const AGGREGATES: Record<string, (values: number[]) => number> = {
  SUM: (v) => v.reduce((a, b) => a + b, 0),
  AVG: (v) => v.reduce((a, b) => a + b, 0) / v.length,
  MAX: (v) => Math.max(...v),
  MIN: (v) => Math.min(...v),
};

export function evaluate(expression: string, ctx: MathContext): number | Series {
  const tokens = tokenize(expression);
  let i = 0;
  const peek = () => tokens[i];
  const take = (op: string) => {
    const t = tokens[i];
    if (t?.kind !== 'op' || t.value !== op) throw new MathError(`Expected '${op}' in ${expression}`);
    i++;
  };

  const expr = (): Value => {
    let left = term();
    for (let t = peek(); t?.kind === 'op' && (t.value === '+' || t.value === '-'); t = peek()) {
      i++;
      left = combine(left, term(), t.value);
    }
    return left;
  };
  const term = (): Value => {
    let left = unary();
    for (let t = peek(); t?.kind === 'op' && (t.value === '*' || t.value === '/'); t = peek()) {
      i++;
      left = combine(left, unary(), t.value);
    }
    return left;
  };
  const unary = (): Value => {
    const t = peek();
    if (t?.kind === 'op' && t.value === '-') {
      i++;
      return combine(-1, unary(), '*');
    }
    return primary();
  };
  const primary = (): Value => {
    const t = tokens[i++];
    if (!t) throw new MathError(`Unexpected end of expression ${expression}`);
    if (t.kind === 'num') return t.value;
    if (t.kind === 'op' && t.value === '(') {
      const v = expr();
      take(')');
      return v;
    }
    if (t.kind === 'op' && t.value === '[') {
      const items: Series[] = [];
      if (!(peek()?.kind === 'op' && peek()!.value === ']')) {
        for (;;) {
          const v = expr();
          if (v instanceof Map) items.push(v);
          else if (Array.isArray(v)) items.push(...v);
          else throw new MathError('An array may only hold time series');
          if (peek()?.kind === 'op' && peek()!.value === ',') i++;
          else break;
        }
      }
      take(']');
      return items;
    }
    if (t.kind === 'id') {
      if (peek()?.kind === 'op' && peek()!.value === '(') return call(t.value);
      const s = ctx.series(t.value);
      if (!s) throw new MathError(`Unrecognized metric or expression id: ${t.value}`);
      return s;
    }
    throw new MathError(`Unexpected '${t.value}' in ${expression}`);
  };
  const call = (name: string): Value => {
    take('(');
    if (name === 'METRICS') {
      take(')');
      return ctx.metrics();
    }
    const arg = expr();
    take(')');
    if (name === 'ABS') return map(arg, Math.abs);
    const f = AGGREGATES[name];
    if (!f) throw new MathError(`Unsupported function ${name}: Selfless evaluates SUM, AVG, MAX, MIN, ABS and METRICS`);
    if (typeof arg === 'number') return arg;
    if (arg instanceof Map) {
      const values = [...arg.values()];
      return values.length === 0 ? new Map() : f(values);
    }
    // Over an array: one series, each timestamp aggregated over the series that have it.
    const out: Series = new Map();
    const stamps = new Set(arg.flatMap((s) => [...s.keys()]));
    for (const at of [...stamps].sort((a, b) => a - b)) {
      const values = arg.map((s) => s.get(at)).filter((v): v is number => v !== undefined);
      out.set(at, f(values));
    }
    return out;
  };

  const result = expr();
  if (i < tokens.length) throw new MathError(`Unexpected '${String(tokens[i]!.value)}' in ${expression}`);
  if (Array.isArray(result)) {
    if (result.length === 1) return result[0]!;
    throw new MathError(`${expression} returns ${result.length} time series; wrap it in SUM, AVG, MAX or MIN`);
  }
  return result;
}

function map(v: Value, f: (x: number) => number): Value {
  if (typeof v === 'number') return f(v);
  if (v instanceof Map) return new Map([...v].map(([at, x]) => [at, f(x)]));
  return v.map((s) => map(s, f) as Series);
}

const apply = (a: number, b: number, op: string) => (op === '+' ? a + b : op === '-' ? a - b : op === '*' ? a * b : a / b);

function combine(a: Value, b: Value, op: string): Value {
  if (Array.isArray(a)) return a.map((s) => combine(s, b, op) as Series);
  if (Array.isArray(b)) return b.map((s) => combine(a, s, op) as Series);
  if (typeof a === 'number' && typeof b === 'number') return apply(a, b, op);
  const out: Series = new Map();
  if (typeof a === 'number') for (const [at, y] of b as Series) keep(out, at, apply(a, y, op));
  else if (typeof b === 'number') for (const [at, x] of a) keep(out, at, apply(x, b, op));
  else for (const [at, x] of a) if (b.has(at)) keep(out, at, apply(x, b.get(at)!, op));
  return out;
}

function keep(out: Series, at: number, v: number): void {
  if (Number.isFinite(v)) out.set(at, v);
}
