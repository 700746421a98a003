/**
 * Traffic-shifting strategies, named as CodeDeploy names Lambda's: `AllAtOnce`,
 * `Canary<P>Percent<M>Minutes` (P% for M minutes, then all) and `Linear<P>PercentEvery<M>Minute(s)`
 * (P% more every M minutes). A strategy is a list of steps: a weight for the new version, and how
 * long that weight holds while the guards watch.
 */
export interface Step {
  /** Share of the alias's invocations going to the new version, 0-1. */
  weight: number;
  /** How long the step lasts before the next one (0 for the last). */
  holdMs: number;
}

const MINUTE = 60_000;

export function parseStrategy(name: string): Step[] | undefined {
  if (name === 'AllAtOnce') return [{ weight: 1, holdMs: 0 }];
  const canary = /^Canary(\d{1,2})Percent(\d{1,4})Minutes?$/.exec(name);
  if (canary) {
    const p = Number(canary[1]) / 100;
    if (p <= 0 || p >= 1) return undefined;
    return [
      { weight: p, holdMs: Number(canary[2]) * MINUTE },
      { weight: 1, holdMs: 0 },
    ];
  }
  const linear = /^Linear(\d{1,2})PercentEvery(\d{1,4})Minutes?$/.exec(name);
  if (linear) {
    const p = Number(linear[1]);
    if (p <= 0 || p >= 100) return undefined;
    const steps: Step[] = [];
    for (let w = p; w < 100; w += p) steps.push({ weight: w / 100, holdMs: Number(linear[2]) * MINUTE });
    steps.push({ weight: 1, holdMs: 0 });
    return steps;
  }
  return undefined;
}

export const STRATEGY_EXAMPLES = 'AllAtOnce, Canary10Percent5Minutes, Linear10PercentEvery1Minute';
