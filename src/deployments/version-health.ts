/** Invocations and errors per function version since the server started: what deployment guards watch. */
import type { ClosedInvocation } from '../domain/invocation.js';

export interface HealthCounts {
  invocations: number;
  errors: number;
}

export class VersionHealth {
  private readonly counts = new Map<string, HealthCounts>();

  invoked(target: { functionName: string; version: string }, result: ClosedInvocation): void {
    const key = `${target.functionName}:${target.version}`;
    const c = this.counts.get(key) ?? { invocations: 0, errors: 0 };
    c.invocations++;
    if (!result.outcome.ok) c.errors++;
    this.counts.set(key, c);
  }

  throttled(): void {
    // a throttle is not the new version's fault
  }

  of(functionName: string, version: string): HealthCounts {
    return { ...(this.counts.get(`${functionName}:${version}`) ?? { invocations: 0, errors: 0 }) };
  }
}
