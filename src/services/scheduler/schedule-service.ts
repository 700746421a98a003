/**
 * EventBridge Scheduler: schedule groups and schedules. Each enabled schedule is a job of the
 * platform's scheduling core; an occurrence sends the target's templated Input (Scheduler's context
 * attributes filled in) to a Lambda function (asynchronous invocation), an SQS queue, an SNS topic, an
 * event bus (an event with the target's EventBridgeParameters, the Input as its detail) or a universal
 * target (the Input as the request of a served service's operation), through the same delivery, retry
 * policy and dead-letter queue as EventBridge's targets.
 */
import { randomUUID } from 'node:crypto';
import type { EventEnvelope } from '../events/model.js';
import type { TargetDelivery } from '../events/target-delivery.js';
import { fillTemplate } from '../events/target-input.js';
import type { Clock } from '../../lib/clock.js';
import { checkTimeZone, ExpressionError, parseExpression } from '../../schedules/expression.js';
import type { ScheduleSource } from '../../schedules/leased-scheduling.js';
import type { SchedulingCore } from '../../schedules/scheduling-core.js';
import type { SchedulerRepo, ScheduleStateRepo } from '../../storage/store.js';
import { scheduleArn, type Account } from '../../wire/arn.js';
import { ProtocolErrors, SchedulerErrors } from '../../wire/errors.js';
import { DEFAULT_GROUP, type ScheduleGroupRecord, type ScheduleRecord } from './model.js';
import { isUniversalArn, parseUniversalArn } from './universal-target.js';

export type ScheduleSpec = Omit<ScheduleRecord, 'createdAt' | 'modifiedAt'>;

export interface Page<T> {
  items: T[];
  nextToken: string | undefined;
}

export const scheduleKey = (group: string, name: string): string => `schedule:${group}/${name}`;

export class ScheduleService implements ScheduleSource {
  /** Each schedule as last given to the core, to tell which the store has changed since. */
  private readonly known = new Map<string, { json: string; modifiedAt: number }>();

  constructor(
    private readonly d: {
      repo: SchedulerRepo;
      core: SchedulingCore;
      states: ScheduleStateRepo;
      delivery: TargetDelivery;
      clock: Clock;
      account: Account;
    },
  ) {}

  async start(): Promise<void> {
    const now = this.d.clock.now();
    await this.d.repo.createGroup({ name: DEFAULT_GROUP, createdAt: now, modifiedAt: now });
    await this.reload(true);
  }

  /** Brings the core in line with the store: schedules other nodes of a fleet created, changed or deleted. */
  async reload(all: boolean): Promise<void> {
    const before = new Set(this.known.keys());
    const seen = new Set<string>();
    let after: [string, string] | undefined;
    for (;;) {
      const page = await this.d.repo.listSchedules(undefined, '', after, 500);
      for (const s of page) {
        const key = scheduleKey(s.groupName, s.name);
        seen.add(key);
        const known = this.known.get(key);
        // A listing read before a change made here since must not put the older version back.
        if (known && s.modifiedAt < known.modifiedAt) continue;
        if (all || known?.json !== JSON.stringify(s)) await this.sync(s);
      }
      if (page.length < 500) break;
      after = [page[page.length - 1]!.groupName, page[page.length - 1]!.name];
    }
    // Only those known before the listing: one created here meanwhile is not in it.
    for (const key of before) {
      if (seen.has(key) || !this.known.has(key)) continue;
      this.known.delete(key);
      this.d.core.remove(key);
    }
  }

  arn(s: Pick<ScheduleRecord, 'groupName' | 'name'>): string {
    return scheduleArn(this.d.account, s.groupName, s.name);
  }

  // --- groups ---

  async createGroup(name: string, tags: Record<string, string> = {}): Promise<ScheduleGroupRecord> {
    const now = this.d.clock.now();
    const group = { name, createdAt: now, modifiedAt: now, ...(Object.keys(tags).length > 0 ? { tags } : {}) };
    if (!(await this.d.repo.createGroup(group))) throw SchedulerErrors.conflict(`Schedule group ${name} already exists.`);
    return group;
  }

  async group(name: string): Promise<ScheduleGroupRecord> {
    const g = await this.d.repo.getGroup(name);
    if (!g) throw SchedulerErrors.resourceNotFound(`Schedule group ${name} does not exist.`);
    return g;
  }

  /** Adds and removes a group's tags (a key given again takes the new value). */
  async tagGroup(name: string, add: Record<string, string>, remove: readonly string[]): Promise<void> {
    const g = await this.group(name);
    const tags = { ...g.tags, ...add };
    for (const k of remove) delete tags[k];
    if (!(await this.d.repo.updateGroup({ ...g, tags }))) throw SchedulerErrors.resourceNotFound(`Schedule group ${name} does not exist.`);
  }

  async listGroups(prefix: string, limit: number | undefined, token: string | undefined): Promise<Page<ScheduleGroupRecord>> {
    const size = limit ?? 100;
    const items = await this.d.repo.listGroups(prefix, token === undefined ? undefined : decode(token)[0], size + 1);
    return { items: items.slice(0, size), nextToken: items.length > size ? encode([items[size - 1]!.name, '']) : undefined };
  }

  async deleteGroup(name: string): Promise<void> {
    if (name === DEFAULT_GROUP) throw SchedulerErrors.validation('The default schedule group cannot be deleted.');
    await this.group(name);
    let after: [string, string] | undefined;
    for (;;) {
      const page = await this.d.repo.listSchedules(name, '', after, 500);
      for (const s of page) await this.forget(s.groupName, s.name);
      if (page.length < 500) break;
      after = [name, page[page.length - 1]!.name];
    }
    await this.d.repo.deleteGroup(name);
  }

  // --- schedules ---

  async create(spec: ScheduleSpec): Promise<ScheduleRecord> {
    this.check(spec);
    await this.group(spec.groupName);
    const now = this.d.clock.now();
    const s: ScheduleRecord = { ...spec, createdAt: now, modifiedAt: now };
    if (!(await this.d.repo.createSchedule(s))) throw SchedulerErrors.conflict(`Schedule ${spec.name} already exists.`);
    await this.sync(s);
    return s;
  }

  /** Replaces a schedule; what the update leaves out is cleared, as in Scheduler. */
  async update(spec: ScheduleSpec): Promise<ScheduleRecord> {
    this.check(spec);
    const current = await this.get(spec.groupName, spec.name);
    const s: ScheduleRecord = { ...spec, createdAt: current.createdAt, modifiedAt: this.d.clock.now() };
    if (!(await this.d.repo.updateSchedule(s))) throw SchedulerErrors.resourceNotFound(`Schedule ${spec.name} does not exist.`);
    await this.sync(s);
    return s;
  }

  async get(groupName: string, name: string): Promise<ScheduleRecord> {
    const s = await this.d.repo.getSchedule(groupName, name);
    if (!s) throw SchedulerErrors.resourceNotFound(`Schedule ${name} does not exist.`);
    return s;
  }

  async list(groupName: string | undefined, prefix: string, state: string | undefined, limit: number | undefined, token: string | undefined): Promise<Page<ScheduleRecord>> {
    const size = limit ?? 100;
    const out: ScheduleRecord[] = [];
    let after = token === undefined ? undefined : decode(token);
    // The state filter is applied after reading, so a page may need more than one read.
    for (;;) {
      const page = await this.d.repo.listSchedules(groupName, prefix, after, size + 1);
      for (const s of page) if (state === undefined || s.state === state) out.push(s);
      if (out.length > size || page.length < size + 1) break;
      after = [page[page.length - 1]!.groupName, page[page.length - 1]!.name];
    }
    const items = out.slice(0, size);
    const last = items[items.length - 1];
    return { items, nextToken: out.length > size && last ? encode([last.groupName, last.name]) : undefined };
  }

  async delete(groupName: string, name: string): Promise<void> {
    await this.get(groupName, name);
    await this.forget(groupName, name);
  }

  /** When a schedule fires next, if it is enabled and has occurrences left. */
  nextFireTime(s: Pick<ScheduleRecord, 'groupName' | 'name'>): number | undefined {
    return this.d.core.nextFireTime(scheduleKey(s.groupName, s.name));
  }

  private async forget(groupName: string, name: string): Promise<void> {
    const key = scheduleKey(groupName, name);
    this.known.delete(key);
    this.d.core.remove(key);
    await this.d.repo.deleteSchedule(groupName, name);
    await this.d.states.delete(key);
  }

  private check(spec: ScheduleSpec): void {
    try {
      parseExpression(spec.expression, { allowAt: true });
      checkTimeZone(spec.timezone);
    } catch (err) {
      if (err instanceof ExpressionError) throw SchedulerErrors.validation(`Invalid Schedule Expression ${spec.expression}: ${err.message}`);
      throw err;
    }
    if (spec.startDate !== undefined && spec.endDate !== undefined && spec.endDate <= spec.startDate) {
      throw SchedulerErrors.validation('The EndDate must be after the StartDate.');
    }
    if (isUniversalArn(spec.target.arn)) {
      const universal = parseUniversalArn(spec.target.arn);
      if (typeof universal === 'string') throw SchedulerErrors.validation(universal);
      return;
    }
    const service = /^arn:aws[\w-]*:(lambda|sqs|sns|events):/.exec(spec.target.arn)?.[1];
    if (!service || (service === 'events' && !/:event-bus\/[^/]+$/.test(spec.target.arn))) {
      throw ProtocolErrors.notImplemented(`Scheduler templated targets other than Lambda functions, SQS queues, SNS topics and event buses (${spec.target.arn})`);
    }
    if (service === 'events' && spec.target.eventBridge === undefined) throw SchedulerErrors.validation('An event bus target requires EventBridgeParameters (DetailType and Source).');
    if (service === 'sqs' && spec.target.arn.endsWith('.fifo') && spec.target.messageGroupId === undefined) {
      throw SchedulerErrors.validation('A FIFO queue target requires SqsParameters.MessageGroupId.');
    }
  }

  private async sync(s: ScheduleRecord): Promise<void> {
    const key = scheduleKey(s.groupName, s.name);
    this.known.set(key, { json: JSON.stringify(s), modifiedAt: s.modifiedAt });
    if (s.state !== 'ENABLED') {
      this.d.core.remove(key);
      return;
    }
    await this.d.core.add({
      key,
      expression: parseExpression(s.expression, { allowAt: true }),
      zone: s.timezone,
      anchor: s.startDate ?? s.createdAt,
      startAt: s.startDate,
      endAt: s.endDate,
      flexibleWindowMs: (s.flexibleWindowMinutes ?? 0) * 60_000,
      // The record as synced: an update or a delete replaces or removes this job, so it is the current one.
      fire: async (occurrence) => this.fire(s, occurrence),
      completed: async () => {
        if (s.actionAfterCompletion === 'DELETE') await this.forget(s.groupName, s.name);
      },
    });
  }

  private fire(s: ScheduleRecord, occurrence: number): string {
    const arn = this.arn(s);
    const executionId = randomUUID();
    const scheduledTime = new Date(Math.floor(occurrence / 1000) * 1000).toISOString().replace('.000Z', 'Z');
    const body = fillTemplate(
      s.target.input ?? '{}',
      new Map<string, unknown>([
        ['aws.scheduler.schedule-arn', arn],
        ['aws.scheduler.scheduled-time', scheduledTime],
        ['aws.scheduler.execution-id', executionId],
        ['aws.scheduler.attempt-number', 1],
      ]),
    );
    // The delivery keys FIFO deduplication on the event id: one execution, one message. An event bus
    // gets this event itself: the target's detail-type and source, the Input as its detail.
    const bus = s.target.eventBridge;
    const event: EventEnvelope = {
      version: '0',
      id: executionId,
      'detail-type': bus?.detailType ?? 'Scheduled Event',
      source: bus?.source ?? 'aws.scheduler',
      account: this.d.account.accountId,
      time: scheduledTime,
      region: this.d.account.region,
      resources: [arn],
      detail: bus ? detailOf(body) : {},
    };
    this.d.delivery.submit({
      event,
      deadLetterBody: body,
      target: {
        id: s.name,
        arn: s.target.arn,
        input: { kind: 'constant', json: body },
        ...(s.target.messageGroupId !== undefined ? { messageGroupId: s.target.messageGroupId } : {}),
        maximumRetryAttempts: s.target.maximumRetryAttempts,
        maximumEventAgeSeconds: s.target.maximumEventAgeSeconds,
        ...(s.target.deadLetterArn !== undefined ? { deadLetterArn: s.target.deadLetterArn } : {}),
      },
      rule: { ruleArn: arn, ruleName: s.name, ingestedAt: occurrence, sourceAttribute: 'SCHEDULE_ARN', viaRole: true },
    });
    return `sent to ${s.target.arn}`;
  }
}

/** An event's detail from the filled-in Input: a JSON object, as PutEvents requires. */
function detailOf(body: string): Record<string, unknown> {
  let detail: unknown;
  try {
    detail = JSON.parse(body);
  } catch {
    detail = undefined;
  }
  if (typeof detail !== 'object' || detail === null || Array.isArray(detail)) throw new Error('the Input of an event bus target must be a JSON object: it becomes the detail of the event.');
  return detail as Record<string, unknown>;
}

const encode = (cursor: [string, string]): string => Buffer.from(JSON.stringify(cursor), 'utf8').toString('base64url');

function decode(token: string): [string, string] {
  try {
    const v = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(v) && v.length === 2 && v.every((x) => typeof x === 'string')) return v as [string, string];
  } catch {
    // fall through
  }
  throw SchedulerErrors.validation('The NextToken is not valid.');
}
