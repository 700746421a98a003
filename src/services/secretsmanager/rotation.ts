/**
 * Rotation with a Lambda function through AWS's four steps. RotateSecret records the schedule,
 * creates the AWSPENDING version (without a value: the function's createSecret step fills it), then
 * invokes the function synchronously for createSecret, setSecret, testSecret and finishSecret, and
 * finally takes AWSPENDING off the version that finishSecret made AWSCURRENT. A step that fails leaves
 * AWSPENDING where it is, as AWS does, so the next rotation retries with the same token.
 * Scheduled rotations are found by a periodic check on the injected clock.
 */
import { randomUUID } from 'node:crypto';
import type { Rotation, SecretRecord } from '../../domain/secret.js';
import type { Clock, Timer } from '../../lib/clock.js';
import type { Logger } from '../../lib/logger.js';
import { SecretsManagerErrors } from '../../wire/errors.js';
import type { SecretService } from './secret-service.js';
import { CURRENT, PENDING, removeStage, versionWithStage } from './staging-labels.js';

export const ROTATION_STEPS = ['createSecret', 'setSecret', 'testSecret', 'finishSecret'] as const;
export type RotationStep = (typeof ROTATION_STEPS)[number];

/** The event a rotation function receives, as AWS sends it. */
export interface RotationEvent {
  SecretId: string;
  ClientRequestToken: string;
  Step: RotationStep;
}

/** Invokes the rotation function and waits; rejects with the function's error when it fails. */
export type InvokeRotationFunction = (functionArn: string, event: RotationEvent) => Promise<void>;

export interface RotationRules {
  afterDays?: number;
  scheduleExpression?: string;
  duration?: string;
}

const HOUR_MS = 3600 * 1000;
const DAY_MS = 24 * HOUR_MS;
/** How often due rotations are looked for. */
const CHECK_EVERY_MS = HOUR_MS;

/** The interval a schedule asks for: AutomaticallyAfterDays, or `rate(N hours|days)`. */
export function rotationInterval(rules: RotationRules): number {
  if (rules.scheduleExpression !== undefined) {
    const rate = /^rate\((\d+) (hour|hours|day|days)\)$/.exec(rules.scheduleExpression);
    if (!rate) throw SecretsManagerErrors.invalidParameter(`Selfless supports rate() schedule expressions only, not ${rules.scheduleExpression}.`);
    return Number(rate[1]) * (rate[2]!.startsWith('hour') ? HOUR_MS : DAY_MS);
  }
  if (rules.afterDays !== undefined) return rules.afterDays * DAY_MS;
  throw SecretsManagerErrors.invalidParameter('RotationRules need AutomaticallyAfterDays or ScheduleExpression.');
}

export class RotationService {
  private timer: Timer | undefined;
  private readonly rotating = new Set<string>();

  constructor(
    private readonly secrets: SecretService,
    private readonly invoke: InvokeRotationFunction,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  async rotate(secretId: string, input: { token?: string; lambdaArn?: string; rules?: RotationRules; immediately?: boolean } = {}): Promise<{ record: SecretRecord; versionId?: string }> {
    const token = input.token ?? randomUUID();
    const immediately = input.immediately ?? true;
    const now = this.clock.now();
    const record = await this.secrets.mutate(secretId, async (r) => {
      const lambdaArn = input.lambdaArn ?? r.rotation.lambdaArn;
      if (lambdaArn === undefined) throw SecretsManagerErrors.invalidRequest('No Lambda rotation function ARN is associated with this secret.');
      const rules = input.rules ?? { afterDays: r.rotation.afterDays, scheduleExpression: r.rotation.scheduleExpression, duration: r.rotation.duration };
      const hasSchedule = rules.afterDays !== undefined || rules.scheduleExpression !== undefined;
      const rotation: Rotation = {
        ...r.rotation,
        enabled: true,
        lambdaArn,
        ...defined({ afterDays: rules.afterDays, scheduleExpression: rules.scheduleExpression, duration: rules.duration }),
        ...(hasSchedule ? { nextRotationAt: (immediately ? now : (r.rotation.lastRotatedAt ?? now)) + rotationInterval(rules) } : {}),
      };
      if (!immediately) return { ...r, rotation };
      const pending = versionWithStage(r.versions, PENDING);
      if (pending !== undefined && pending.versionId !== token) {
        throw SecretsManagerErrors.invalidRequest("A previous rotation isn't complete. That rotation will be reattempted.");
      }
      if (!versionWithStage(r.versions, CURRENT)) throw SecretsManagerErrors.invalidRequest('The secret has no AWSCURRENT version to rotate.');
      const versions = pending ? r.versions : [...r.versions, { versionId: token, createdAt: now, stages: [PENDING] }];
      return { ...r, rotation, versions };
    });
    if (!immediately) return { record };
    return { record: await this.runSteps(record, token), versionId: token };
  }

  /** Turns automatic rotation off (CancelRotateSecret); a rotation under way keeps its AWSPENDING version. */
  async cancel(secretId: string): Promise<SecretRecord> {
    return this.secrets.mutate(secretId, async (r) => {
      const { nextRotationAt: _next, ...rotation } = r.rotation;
      return { ...r, rotation: { ...rotation, enabled: false } };
    });
  }

  start(): void {
    this.schedule();
  }

  stop(): void {
    this.timer?.cancel();
    this.timer = undefined;
  }

  /** Rotates every secret whose next rotation is due; the next check is scheduled whatever happens. */
  async rotateDue(): Promise<void> {
    const now = this.clock.now();
    for (const secret of await this.secrets.all(false)) {
      const { enabled, nextRotationAt } = secret.rotation;
      if (!enabled || nextRotationAt === undefined || nextRotationAt > now) continue;
      await this.rotate(secret.arn).catch((err: unknown) => this.logger.warn('scheduled rotation failed', { secret: secret.name, error: String((err as Error)?.message ?? err) }));
    }
  }

  private schedule(): void {
    this.timer = this.clock.setTimeout(() => {
      void this.rotateDue().finally(() => this.timer !== undefined && this.schedule());
    }, CHECK_EVERY_MS);
  }

  private async runSteps(record: SecretRecord, token: string): Promise<SecretRecord> {
    if (this.rotating.has(record.name)) throw SecretsManagerErrors.invalidRequest("A previous rotation isn't complete. That rotation will be reattempted.");
    this.rotating.add(record.name);
    try {
      for (const step of ROTATION_STEPS) {
        await this.invoke(record.rotation.lambdaArn!, { SecretId: record.arn, ClientRequestToken: token, Step: step }).catch((err: unknown) => {
          throw SecretsManagerErrors.invalidRequest(`The rotation function failed at its ${step} step: ${(err as Error)?.message ?? String(err)}`);
        });
      }
      return await this.secrets.mutate(record.arn, async (r) => {
        const version = r.versions.find((v) => v.versionId === token);
        if (!version?.stages.includes(CURRENT)) {
          throw SecretsManagerErrors.invalidRequest(`The rotation function's finishSecret step did not make version ${token} AWSCURRENT.`);
        }
        const now = this.clock.now();
        const interval = r.rotation.afterDays !== undefined || r.rotation.scheduleExpression !== undefined ? rotationInterval(r.rotation) : undefined;
        return {
          ...r,
          versions: removeStage(r.versions, PENDING, token),
          rotation: { ...r.rotation, lastRotatedAt: now, ...(interval !== undefined ? { nextRotationAt: now + interval } : {}) },
          lastChangedAt: now,
        };
      });
    } finally {
      this.rotating.delete(record.name);
    }
  }
}

function defined<T extends Record<string, unknown>>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
