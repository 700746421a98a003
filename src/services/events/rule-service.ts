/**
 * Rules on event buses and their targets. Every change is a compare-and-set on the rule's revision,
 * retried a few times, so that two nodes adding targets at once both land.
 */
import { parsePattern, PatternError, type CompiledPattern } from '../../event-sources/filter-pattern.js';
import type { Clock } from '../../lib/clock.js';
import { ExpressionError, parseExpression } from '../../schedules/expression.js';
import type { EventBridgeRepo } from '../../storage/store.js';
import { eventRuleArn, type Account } from '../../wire/arn.js';
import { EventsErrors, ProtocolErrors } from '../../wire/errors.js';
import type { BusService } from './bus-service.js';
import { DEFAULT_BUS, type RuleRecord, type RuleState, type TargetRecord } from './model.js';
import { decodePageToken, encodePageToken, type Page } from './paging.js';
import { inputProblem } from './target-input.js';

/** EventBridge's quota of targets per rule. */
const MAX_TARGETS = 5;
const CAS_ATTEMPTS = 5;

export interface RuleSpec {
  busName: string;
  name: string;
  eventPattern?: string | undefined;
  scheduleExpression?: string | undefined;
  state?: RuleState | undefined;
  description?: string | undefined;
  roleArn?: string | undefined;
  /** Set when the rule is created; PutRule on an existing rule leaves its tags as they are, as in EventBridge. */
  tags?: Record<string, string> | undefined;
}

export interface TargetFailure {
  targetId: string;
  errorCode: string;
  errorMessage: string;
}

/** Told of every rule created, changed or deleted (undefined), so that scheduled rules follow. */
export type RuleListener = (busName: string, name: string, rule: RuleRecord | undefined) => Promise<void>;

export class RuleService {
  /** Compiled patterns by their text: a PutEvents matches many events against few patterns. */
  private readonly compiled = new Map<string, CompiledPattern>();
  private listener: RuleListener = async () => undefined;

  constructor(
    private readonly repo: EventBridgeRepo,
    private readonly buses: BusService,
    private readonly clock: Clock,
    private readonly account: Account,
  ) {}

  onChange(listener: RuleListener): void {
    this.listener = listener;
  }

  arn(rule: Pick<RuleRecord, 'busName' | 'name'>): string {
    return eventRuleArn(this.account, rule.busName, rule.name);
  }

  /** Creates or replaces a rule (what PutRule leaves out is cleared, as in EventBridge); targets stay. */
  async put(spec: RuleSpec): Promise<RuleRecord> {
    if (spec.eventPattern === undefined && spec.scheduleExpression === undefined) {
      throw ProtocolErrors.validation('Parameter(s) EventPattern or ScheduleExpression must be specified.');
    }
    if (spec.scheduleExpression !== undefined) {
      if (spec.busName !== DEFAULT_BUS) throw ProtocolErrors.validation('ScheduleExpression is supported only on the default event bus.');
      try {
        parseExpression(spec.scheduleExpression, { allowAt: false });
      } catch (err) {
        if (err instanceof ExpressionError) throw ProtocolErrors.validation('Parameter ScheduleExpression is not valid.');
        throw err;
      }
    }
    if (spec.eventPattern !== undefined) this.pattern(spec.eventPattern);
    await this.buses.get(spec.busName);
    const fields = {
      state: spec.state ?? 'ENABLED',
      ...(spec.eventPattern !== undefined ? { eventPattern: spec.eventPattern } : {}),
      ...(spec.scheduleExpression !== undefined ? { scheduleExpression: spec.scheduleExpression } : {}),
      ...(spec.description !== undefined ? { description: spec.description } : {}),
      ...(spec.roleArn !== undefined ? { roleArn: spec.roleArn } : {}),
    } satisfies Partial<RuleRecord>;
    for (let i = 0; i < CAS_ATTEMPTS; i++) {
      const current = await this.repo.getRule(spec.busName, spec.name);
      if (!current) {
        const tags = spec.tags && Object.keys(spec.tags).length > 0 ? { tags: spec.tags } : {};
        const rule: RuleRecord = { busName: spec.busName, name: spec.name, revision: 0, targets: [], createdAt: this.clock.now(), ...fields, ...tags };
        if (await this.repo.createRule(rule)) return this.changed(rule);
        continue;
      }
      const kept = current.tags ? { tags: current.tags } : {};
      const rule: RuleRecord = { busName: current.busName, name: current.name, revision: current.revision + 1, targets: current.targets, createdAt: current.createdAt, ...fields, ...kept };
      if (await this.repo.updateRule(rule)) return this.changed(rule);
    }
    throw EventsErrors.concurrentModification();
  }

  /** Adds and removes a rule's tags (a key given again takes the new value). */
  async tag(busName: string, name: string, add: Record<string, string>, remove: readonly string[]): Promise<void> {
    await this.change(busName, name, (rule) => {
      const tags = { ...rule.tags, ...add };
      for (const k of remove) delete tags[k];
      return { ...rule, tags };
    });
  }

  async get(busName: string, name: string): Promise<RuleRecord> {
    const rule = await this.repo.getRule(busName, name);
    if (!rule) throw EventsErrors.resourceNotFound(`Rule ${name} does not exist on EventBus ${busName}.`);
    return rule;
  }

  async list(busName: string, prefix: string, limit: number | undefined, token: string | undefined): Promise<Page<RuleRecord>> {
    await this.buses.get(busName);
    const size = limit ?? 100;
    const items = await this.repo.listRules(busName, prefix, decodePageToken(token), size + 1);
    return { items: items.slice(0, size), nextToken: items.length > size ? encodePageToken(items[size - 1]!.name) : undefined };
  }

  /** Every enabled rule of a bus, for matching. */
  async enabledRules(busName: string): Promise<RuleRecord[]> {
    const out: RuleRecord[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await this.repo.listRules(busName, '', after, 500);
      out.push(...page.filter((r) => r.state === 'ENABLED'));
      if (page.length < 500) return out;
      after = page[page.length - 1]!.name;
    }
  }

  /** Deleting a rule that is not there succeeds; one with targets must lose them first. */
  async delete(busName: string, name: string): Promise<void> {
    const rule = await this.repo.getRule(busName, name);
    if (!rule) return;
    if (rule.targets.length > 0) throw ProtocolErrors.validation("Rule can't be deleted since it has targets.");
    if (await this.repo.deleteRule(busName, name)) await this.listener(busName, name, undefined);
  }

  async setState(busName: string, name: string, state: RuleState): Promise<void> {
    await this.changed(await this.change(busName, name, (rule) => ({ ...rule, state })));
  }

  /** Adds or replaces targets by id; a target EventBridge would refuse is reported, the others are kept. */
  async putTargets(busName: string, name: string, targets: TargetRecord[]): Promise<TargetFailure[]> {
    const failures: TargetFailure[] = [];
    const accepted = targets.filter((t) => {
      const problem = targetProblem(t);
      if (problem) failures.push({ targetId: t.id, errorCode: 'ValidationException', errorMessage: problem });
      return !problem;
    });
    await this.change(busName, name, (rule) => {
      const byId = new Map(rule.targets.map((t) => [t.id, t]));
      for (const t of accepted) byId.set(t.id, t);
      if (byId.size > MAX_TARGETS) throw EventsErrors.limitExceeded(`The requested resource exceeds the maximum number allowed (${MAX_TARGETS} targets per rule).`);
      return { ...rule, targets: [...byId.values()] };
    });
    return failures;
  }

  /** Removes targets by id; ids the rule does not have are ignored, as in EventBridge. */
  async removeTargets(busName: string, name: string, ids: readonly string[]): Promise<void> {
    const gone = new Set(ids);
    await this.change(busName, name, (rule) => ({ ...rule, targets: rule.targets.filter((t) => !gone.has(t.id)) }));
  }

  /** The compiled form of a pattern; InvalidEventPatternException if it is not one. */
  pattern(text: string): CompiledPattern {
    let p = this.compiled.get(text);
    if (!p) {
      try {
        p = parsePattern(text);
      } catch (err) {
        if (err instanceof PatternError) throw EventsErrors.invalidEventPattern(err.message);
        throw err;
      }
      if (this.compiled.size > 10_000) this.compiled.clear();
      this.compiled.set(text, p);
    }
    return p;
  }

  private async changed(rule: RuleRecord): Promise<RuleRecord> {
    await this.listener(rule.busName, rule.name, rule);
    return rule;
  }

  private async change(busName: string, name: string, fn: (rule: RuleRecord) => RuleRecord): Promise<RuleRecord> {
    for (let i = 0; i < CAS_ATTEMPTS; i++) {
      const current = await this.get(busName, name);
      const next = { ...fn(current), revision: current.revision + 1 };
      if (await this.repo.updateRule(next)) return next;
    }
    throw EventsErrors.concurrentModification();
  }
}

const SERVICES = /^arn:aws[\w-]*:(lambda|sqs|sns):|^arn:aws[\w-]*:(events):[^:]*:\d{12}:event-bus\/|^arn:aws[\w-]*:events:[^:]*:\d{12}:(api-destination)\//;

function targetProblem(t: TargetRecord): string | undefined {
  const m = SERVICES.exec(t.arn);
  const service = m?.[1] ?? m?.[2] ?? m?.[3];
  if (!service) return `Selfless delivers to Lambda functions, SQS queues, SNS topics, event buses and API destinations; the target ${t.arn} is not supported yet.`;
  if (service === 'events' && t.input.kind !== 'event') return 'Input, InputPath and InputTransformer are not supported for event bus targets.';
  if (service === 'sqs' && t.arn.endsWith('.fifo') && t.messageGroupId === undefined) return 'Parameter(s) SqsParameters must be specified for FIFO queues.';
  if (t.deadLetterArn !== undefined && !/^arn:aws[\w-]*:sqs:/.test(t.deadLetterArn)) return `The dead-letter queue ${t.deadLetterArn} is not an SQS queue.`;
  return inputProblem(t.input);
}

