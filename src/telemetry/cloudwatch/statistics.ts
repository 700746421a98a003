/** CloudWatch's statistics over statistic sets (count, sum, min, max), the form metrics are kept in. */

export interface StatSet {
  sampleCount: number;
  sum: number;
  min: number;
  max: number;
  /** The q-th percentile (0..1), where the source keeps a distribution (Lambda's Duration). */
  percentile?: (q: number) => number | undefined;
}

export const STATS = ['SampleCount', 'Average', 'Sum', 'Minimum', 'Maximum'] as const;
export type BasicStat = (typeof STATS)[number];

const PERCENTILE = /^p(\d{1,2}(\.\d{1,2})?|100)$/;

/** Whether CloudWatch knows the statistic: the five, or a percentile `pNN` / `pNN.NN`. */
export const isStat = (stat: string): boolean => (STATS as readonly string[]).includes(stat) || PERCENTILE.test(stat);

export function merge(a: StatSet, b: StatSet): StatSet {
  return { sampleCount: a.sampleCount + b.sampleCount, sum: a.sum + b.sum, min: Math.min(a.min, b.min), max: Math.max(a.max, b.max) };
}

/** A statistic's value; undefined where there is none (an empty set, a percentile of data kept without a distribution). */
export function read(set: StatSet, stat: string): number | undefined {
  if (set.sampleCount === 0) return stat === 'SampleCount' || stat === 'Sum' ? 0 : undefined;
  switch (stat) {
    case 'SampleCount':
      return set.sampleCount;
    case 'Sum':
      return set.sum;
    case 'Average':
      return set.sum / set.sampleCount;
    case 'Minimum':
      return set.min;
    case 'Maximum':
      return set.max;
  }
  const m = PERCENTILE.exec(stat);
  if (!m) return undefined;
  const q = Number(m[1]) / 100;
  if (q === 1) return set.max;
  if (q === 0) return set.min;
  return set.percentile?.(q) ?? (set.min === set.max ? set.min : undefined);
}
