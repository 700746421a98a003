/**
 * DynamoDB numbers: up to 38 significant digits, magnitudes from 1E-130 to below 1E+126, kept as
 * decimal text and computed with BigInt so that nothing is rounded through a double.
 */
export interface Decimal {
  /** The coefficient without trailing zeros (0n for zero). */
  readonly coefficient: bigint;
  readonly exponent: number;
}

export type NumberProblem = 'not-a-number' | 'overflow' | 'underflow' | 'precision';

const SYNTAX = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;
export const MAX_DIGITS = 38;

/** The decimal `text` names, normalized, or what is wrong with it. */
export function parseDecimal(text: string): Decimal | NumberProblem {
  const m = SYNTAX.exec(text.trim());
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) return 'not-a-number';
  const digits = `${m[2]}${m[3] ?? ''}`.replace(/^0+/, '');
  let exponent = Number(m[4] ?? '0') - (m[3] ?? '').length;
  if (digits === '') return { coefficient: 0n, exponent: 0 };
  const trimmed = digits.replace(/0+$/, '');
  exponent += digits.length - trimmed.length;
  return check({ coefficient: BigInt(m[1] === '-' ? `-${trimmed}` : trimmed), exponent });
}

function check(d: Decimal): Decimal | NumberProblem {
  if (d.coefficient === 0n) return d;
  const n = digitCount(d.coefficient);
  if (n > MAX_DIGITS) return 'precision';
  const adjusted = n - 1 + d.exponent;
  if (adjusted > 125) return 'overflow';
  if (adjusted < -130) return 'underflow';
  return d;
}

const digitCount = (c: bigint) => (c < 0n ? -c : c).toString().length;

/** Position of the most significant digit (1 for 10..99): what sorts numbers of one sign first. */
export const adjustedExponent = (d: Decimal): number => digitCount(d.coefficient) - 1 + d.exponent;

export const sign = (d: Decimal): number => (d.coefficient === 0n ? 0 : d.coefficient < 0n ? -1 : 1);

/** Significant digits of |d|, without leading or trailing zeros. */
export const significand = (d: Decimal): string => (d.coefficient < 0n ? -d.coefficient : d.coefficient).toString();

function align(a: Decimal, b: Decimal): [bigint, bigint, number] {
  const e = Math.min(a.exponent, b.exponent);
  return [a.coefficient * 10n ** BigInt(a.exponent - e), b.coefficient * 10n ** BigInt(b.exponent - e), e];
}

export function compareDecimal(a: Decimal, b: Decimal): number {
  const [x, y] = align(a, b);
  return x < y ? -1 : x > y ? 1 : 0;
}

function normalize(coefficient: bigint, exponent: number): Decimal {
  if (coefficient === 0n) return { coefficient, exponent: 0 };
  while (coefficient % 10n === 0n) {
    coefficient /= 10n;
    exponent += 1;
  }
  return { coefficient, exponent };
}

/** a + b exactly, or why DynamoDB would refuse to store the sum. */
export function addDecimal(a: Decimal, b: Decimal, negateB = false): Decimal | NumberProblem {
  const [x, y, e] = align(a, b);
  return check(normalize(negateB ? x - y : x + y, e));
}

/** Plain decimal notation, as DynamoDB returns numbers: "100", "0.25", "-1.5". */
export function formatDecimal(d: Decimal): string {
  if (d.coefficient === 0n) return '0';
  const neg = d.coefficient < 0n;
  const digits = significand(d);
  let out: string;
  if (d.exponent >= 0) out = digits + '0'.repeat(d.exponent);
  else {
    const point = digits.length + d.exponent;
    out = point > 0 ? `${digits.slice(0, point)}.${digits.slice(point)}` : `0.${'0'.repeat(-point)}${digits}`;
  }
  return neg ? `-${out}` : out;
}
