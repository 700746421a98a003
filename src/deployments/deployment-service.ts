/**
 * Gradual deployments: publish a version, shift an alias's weights to it step by step, watch the
 * new version's error rate (a built-in guard), and roll the alias back on a breach. Time comes
 * from an injected clock, so tests step through minutes without waiting.
 */
import type { AliasService } from '../functions/alias-service.js';
import type { VersionService } from '../functions/version-service.js';
import type { Clock, Timer } from '../lib/clock.js';
import { newRequestId } from '../lib/ids.js';
import type { Logger } from '../lib/logger.js';
import type { DeploymentRepo } from '../storage/store.js';
import { Errors } from '../wire/errors.js';
import { DEPLOYMENT_STATES, type DeploymentRecord, type DeploymentStatus } from './model.js';
import { parseStrategy, STRATEGY_EXAMPLES, type Step } from './strategies.js';
import type { VersionHealth } from './version-health.js';

export interface StartDeployment {
  functionName: string;
  alias: string;
  strategy: string;
  /** The version to deploy; published from $LATEST when absent. */
  version?: string;
  maxErrorRate?: number;
  minInvocations?: number;
  /** Alarms watched during the deployment: any in ALARM rolls it back. */
  alarms?: string[];
  /** The version traffic shifts from; the alias's current version when absent (CodeDeploy names it). */
  fromVersion?: string;
  /** False: an alarm stops the deployment without rolling the alias back. */
  rollbackOnAlarm?: boolean;
}

/** Told when a deployment ends, whatever ended it. */
export type DeploymentFinished = (d: DeploymentRecord) => void;

export class DeploymentService {
  private readonly timers = new Map<string, Timer>();
  private readonly finishedListeners: DeploymentFinished[] = [];

  constructor(
    private readonly repo: DeploymentRepo,
    private readonly versions: VersionService,
    private readonly aliases: AliasService,
    private readonly health: VersionHealth,
    /** The state of each named alarm; throws for an unknown name. */
    private readonly alarmStates: (names: readonly string[]) => Promise<Map<string, string>>,
    private readonly clock: Clock,
    private readonly logger: Logger,
    /** How often the guard looks at the new version's health. */
    private readonly checkEveryMs = 1000,
  ) {}

  /** Steps are taken only while this holds: in a fleet, on the node holding the deployments' lease. */
  private runsHere: () => boolean = () => true;

  runOnlyWhile(runsHere: () => boolean): void {
    this.runsHere = runsHere;
  }

  onFinished(listener: DeploymentFinished): void {
    this.finishedListeners.push(listener);
  }

  async start(input: StartDeployment): Promise<DeploymentRecord> {
    const steps = parseStrategy(input.strategy);
    if (!steps) throw Errors.invalidParameter(`Unknown deployment strategy '${input.strategy}'. Examples: ${STRATEGY_EXAMPLES}.`);
    const maxErrorRate = input.maxErrorRate ?? 0.1;
    if (!(maxErrorRate >= 0 && maxErrorRate <= 1)) throw Errors.invalidParameter('maxErrorRate must be between 0 and 1.');
    const alarms = input.alarms ?? [];
    if (alarms.length > 0) await this.alarmStates(alarms);
    const running = (await this.repo.list(input.functionName)).find((d) => d.alias === input.alias && d.status === 'InProgress');
    if (running) throw Errors.resourceConflict(`Deployment ${running.id} to alias ${input.alias} is still in progress.`);

    const toVersion = input.version ?? (await this.versions.publish(input.functionName, {})).version;
    await this.versions.get(input.functionName, toVersion);
    const existing = await this.aliases.get(input.functionName, input.alias).catch(() => undefined);
    if (input.fromVersion !== undefined) {
      if (!existing) throw Errors.resourceNotFound(`Alias not found: ${input.functionName}:${input.alias}`);
      await this.versions.get(input.functionName, input.fromVersion);
    }
    const fromVersion = input.fromVersion ?? existing?.functionVersion ?? null;
    const now = this.clock.now();
    const record: DeploymentRecord = {
      id: newRequestId(),
      functionName: input.functionName,
      alias: input.alias,
      strategy: input.strategy,
      fromVersion,
      toVersion,
      status: 'InProgress',
      startedAt: now,
      maxErrorRate,
      minInvocations: input.minInvocations ?? 5,
      alarms,
      ...(input.rollbackOnAlarm === false ? { rollbackOnAlarm: false } : {}),
      baseline: this.health.of(input.functionName, toVersion),
      steps: [],
    };
    if (!existing) {
      await this.aliases.create(input.functionName, input.alias, { functionVersion: toVersion });
      return this.finish(record, 'Succeeded', 'The alias did not exist: created pointing at the new version.');
    }
    if (fromVersion === toVersion) return this.finish(record, 'Succeeded', `The alias already points at version ${toVersion}.`);
    await this.repo.put(record);
    await this.enterStep(record, steps, 0);
    return record;
  }

  async get(id: string): Promise<DeploymentRecord> {
    const d = await this.repo.get(id);
    if (!d) throw Errors.resourceNotFound(`Deployment not found: ${id}`);
    return d;
  }

  list(functionName: string): Promise<DeploymentRecord[]> {
    return this.repo.list(functionName);
  }

  /**
   * Ends a deployment under way where it stands: with `rollback`, the alias goes back to the version
   * it shifted from (RolledBack); without, its weights stay as they are (Stopped).
   */
  async stopDeployment(id: string, reason: string, rollback: boolean): Promise<DeploymentRecord> {
    const d = await this.get(id);
    if (d.status !== 'InProgress') return d;
    if (rollback) {
      await this.rollback(d, reason);
      return d;
    }
    return this.finish(d, 'Stopped', reason);
  }

  /** At start: deployments that were in progress carry on from their current step. */
  restore(): Promise<void> {
    return this.adopt();
  }

  /**
   * Takes on the deployments in progress that this node is not running: left by a previous run, or
   * by a node that died or gave up the lease. Their error guard counts from now (health is counted
   * per node, in memory).
   */
  async adopt(): Promise<void> {
    if (!this.runsHere()) return;
    for (const d of await this.repo.inProgress()) {
      if (this.timers.has(d.id)) continue;
      const steps = parseStrategy(d.strategy);
      if (!steps) {
        await this.finish(d, 'Failed', `Unknown strategy ${d.strategy}`);
        continue;
      }
      d.baseline = this.health.of(d.functionName, d.toVersion);
      await this.repo.put(d);
      this.schedule(d, steps);
    }
  }

  stop(): void {
    for (const t of this.timers.values()) t.cancel();
    this.timers.clear();
  }

  private async enterStep(d: DeploymentRecord, steps: Step[], index: number): Promise<void> {
    const step = steps[index]!;
    try {
      await this.aliases.update(
        d.functionName,
        d.alias,
        step.weight >= 1 ? { functionVersion: d.toVersion, additionalVersionWeights: {} } : { functionVersion: d.fromVersion!, additionalVersionWeights: { [d.toVersion]: step.weight } },
      );
    } catch (err) {
      await this.finish(d, 'Failed', `Could not update the alias: ${(err as Error).message}`);
      return;
    }
    d.steps.push({ weight: step.weight, startedAt: this.clock.now() });
    if (index === steps.length - 1) {
      await this.finish(d, 'Succeeded', `All traffic on version ${d.toVersion}.`);
      return;
    }
    await this.repo.put(d);
    this.schedule(d, steps);
  }

  private schedule(d: DeploymentRecord, steps: Step[]): void {
    this.timers.get(d.id)?.cancel();
    this.timers.set(
      d.id,
      this.clock.setTimeout(() => void this.tick(d.id, steps).catch((err: unknown) => this.logger.error('deployment step failed', { id: d.id, error: String(err) })), this.checkEveryMs),
    );
  }

  /** One look at the guard, then either a rollback, the next step, or another look later. */
  private async tick(id: string, steps: Step[]): Promise<void> {
    if (!this.runsHere()) {
      this.timers.delete(id); // the node holding the lease adopts it
      return;
    }
    const d = await this.repo.get(id);
    if (!d || d.status !== 'InProgress') return;
    const now = this.health.of(d.functionName, d.toVersion);
    const invocations = now.invocations - d.baseline.invocations;
    const errors = now.errors - d.baseline.errors;
    const current = d.steps[d.steps.length - 1]!;
    current.invocations = invocations;
    current.errors = errors;
    if (d.alarms.length > 0) {
      const states = await this.alarmStates(d.alarms).catch(() => new Map<string, string>());
      const firing = d.alarms.filter((a) => states.get(a) === 'ALARM');
      if (firing.length > 0) {
        const reason = `Alarm${firing.length > 1 ? 's' : ''} in ALARM: ${firing.join(', ')}.`;
        if (d.rollbackOnAlarm === false) await this.finish(d, 'Stopped', reason);
        else await this.rollback(d, reason);
        return;
      }
    }
    if (invocations >= d.minInvocations && errors / invocations > d.maxErrorRate) {
      await this.rollback(d, `Error rate of version ${d.toVersion} was ${((100 * errors) / invocations).toFixed(1)}% (${errors} of ${invocations} invocations), above the ${(100 * d.maxErrorRate).toFixed(1)}% guard.`);
      return;
    }
    const index = d.steps.length - 1;
    if (this.clock.now() - current.startedAt >= steps[index]!.holdMs) await this.enterStep(d, steps, index + 1);
    else {
      await this.repo.put(d);
      this.schedule(d, steps);
    }
  }

  private async rollback(d: DeploymentRecord, reason: string): Promise<void> {
    await this.aliases.update(d.functionName, d.alias, { functionVersion: d.fromVersion!, additionalVersionWeights: {} });
    this.logger.warn('deployment rolled back', { function: d.functionName, alias: d.alias, reason });
    await this.finish(d, 'RolledBack', reason);
  }

  private async finish(d: DeploymentRecord, status: DeploymentStatus, reason: string): Promise<DeploymentRecord> {
    DEPLOYMENT_STATES.check(d.status, status);
    this.timers.get(d.id)?.cancel();
    this.timers.delete(d.id);
    d.status = status;
    d.reason = reason;
    d.endedAt = this.clock.now();
    await this.repo.put(d);
    for (const listener of this.finishedListeners) listener(d);
    return d;
  }
}
