/** Per-rule counts of matched events and of deliveries that succeeded or failed, since the server started. */
export interface RuleCounts {
  matched: number;
  delivered: number;
  failed: number;
}

export class EventCounters {
  private readonly byRule = new Map<string, RuleCounts>();

  matched(ruleArn: string): void {
    this.of(ruleArn).matched++;
  }

  delivered(ruleArn: string): void {
    this.of(ruleArn).delivered++;
  }

  failed(ruleArn: string): void {
    this.of(ruleArn).failed++;
  }

  get(ruleArn: string): RuleCounts {
    return { ...(this.byRule.get(ruleArn) ?? { matched: 0, delivered: 0, failed: 0 }) };
  }

  private of(ruleArn: string): RuleCounts {
    let c = this.byRule.get(ruleArn);
    if (!c) this.byRule.set(ruleArn, (c = { matched: 0, delivered: 0, failed: 0 }));
    return c;
  }
}
