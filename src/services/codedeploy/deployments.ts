/**
 * CodeDeploy's Lambda deployments, carried out by Selfless's gradual deployments: BeforeAllowTraffic
 * hook, then the alias shifted from CurrentVersion to TargetVersion by the configuration's strategy
 * while the group's alarms are watched (src/deployments does the shifting and the watching), then the
 * AfterAllowTraffic hook. A failed hook, an alarm or a stop ends it; traffic that moved goes back to
 * CurrentVersion when the group's auto rollback (or StopDeployment) says so, by a rollback deployment.
 */
import { createHash, randomInt } from 'node:crypto';
import type { DeploymentService } from '../../deployments/deployment-service.js';
import type { DeploymentRecord } from '../../deployments/model.js';
import type { Clock } from '../../lib/clock.js';
import type { Logger } from '../../lib/logger.js';
import type { CodeDeployStore } from '../../storage/codedeploy-repo.js';
import { CodeDeployErrors } from '../../wire/errors.js';
import type { ApplicationService } from './application-service.js';
import { parseAppSpec } from './appspec.js';
import { lambdaConfig } from './configs.js';
import { HookRunner, type HookEvent } from './hooks.js';
import { DeploymentLedger, rollbackDeployment, type DeploymentFilter, type Loaded } from './records.js';
import { CODEDEPLOY_STATES, isDone, type AlarmConfig, type AutoRollback, type AutoRollbackEvent, type CodeDeployDeployment, type CodeDeployStatus } from './model.js';

export interface CreateDeployment {
  applicationName: string;
  deploymentGroupName: string;
  deploymentConfigName?: string;
  revision: { revisionType: string; content: string };
  description?: string;
  autoRollbackConfiguration?: AutoRollback;
  overrideAlarmConfiguration?: AlarmConfig;
}

type Ending = { status: Exclude<CodeDeployStatus, 'Created' | 'InProgress' | 'Succeeded'>; code: string; message: string; rollbackOn?: AutoRollbackEvent; rollback?: boolean };

const ID_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const newDeploymentId = (): string => `d-${Array.from({ length: 9 }, () => ID_CHARS[randomInt(ID_CHARS.length)]).join('')}`;

export class CodeDeployDeployments {
  private readonly hooks: HookRunner;
  /** Gradual (traffic) deployment id -> CodeDeploy deployment id. */
  private readonly owners = new Map<string, string>();
  private readonly ledger: DeploymentLedger;

  constructor(
    private readonly store: CodeDeployStore,
    private readonly apps: ApplicationService,
    private readonly traffic: DeploymentService,
    invokeHook: (functionRef: string, payload: Buffer) => Promise<unknown>,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {
    this.ledger = new DeploymentLedger(store);
    this.hooks = new HookRunner(invokeHook, clock, (id, hookId) => void this.hookStatus(id, hookId, 'Failed', true).catch(() => undefined));
    traffic.onFinished((t) => this.trafficFinished(t));
  }

  async create(input: CreateDeployment): Promise<CodeDeployDeployment> {
    const group = await this.apps.group(input.applicationName, input.deploymentGroupName);
    const configName = input.deploymentConfigName ?? group.deploymentConfigName;
    if (!lambdaConfig(configName)) throw CodeDeployErrors.deploymentConfigNotFound(configName);
    const target = parseAppSpec(input.revision.content);
    const active = (await this.list({ applicationName: group.applicationName, deploymentGroupName: group.name, statuses: ['Created', 'InProgress'] }))[0];
    if (active) throw CodeDeployErrors.deploymentLimitExceeded(`The Deployment Group '${group.name}' already has an active Deployment '${active.id}'`);
    const d: CodeDeployDeployment = {
      id: newDeploymentId(),
      applicationName: group.applicationName,
      deploymentGroupName: group.name,
      deploymentConfigName: configName,
      status: 'Created',
      creator: 'user',
      ...(input.description !== undefined ? { description: input.description } : {}),
      revision: { ...input.revision, sha256: createHash('sha256').update(input.revision.content).digest('hex') },
      target,
      alarmConfiguration: input.overrideAlarmConfiguration ?? group.alarmConfiguration,
      autoRollbackConfiguration: input.autoRollbackConfiguration ?? group.autoRollbackConfiguration,
      hooks: [],
      createdAt: this.clock.now(),
    };
    await this.store.deployments.create(d.id, d);
    await this.apps.recordDeployment(d.applicationName, d.deploymentGroupName, { deploymentId: d.id, status: d.status, createdAt: d.createdAt });
    this.beginLater(d.id);
    return d;
  }

  async get(id: string | undefined): Promise<CodeDeployDeployment> {
    return (await this.ledger.load(id)).value;
  }

  /** Newest first. */
  list(f: DeploymentFilter): Promise<CodeDeployDeployment[]> {
    return this.ledger.list(f);
  }

  /** A hook's status, from its function (or from its timeout). Returns the hook execution's id. */
  async hookStatus(id: string | undefined, hookId: string | undefined, status: string | undefined, timedOut = false): Promise<string> {
    if (status !== 'Succeeded' && status !== 'Failed') throw CodeDeployErrors.invalidHookExecutionStatus(`The status ${status ?? ''} is not valid: a hook reports Succeeded or Failed.`);
    const first = await this.ledger.load(id);
    if (!first.value.hooks.some((h) => h.id === hookId)) throw CodeDeployErrors.invalidHookExecutionId(`The lifecycle event hook execution ID ${hookId ?? ''} is not valid for deployment ${first.value.id}.`);
    return this.ledger.serially(first.value.id, async () => {
      const rec = await this.ledger.load(first.value.id);
      const d = rec.value;
      const i = d.hooks.findIndex((h) => h.id === hookId);
      const hook = d.hooks[i]!;
      if (hook.status !== 'InProgress' || isDone(d.status)) {
        throw CodeDeployErrors.lifecycleEventAlreadyCompleted(`The lifecycle event ${hook.event} of deployment ${d.id} has already completed.`);
      }
      d.hooks[i] = this.hooks.settle(hook, status);
      if (status === 'Succeeded') {
        await this.ledger.save(rec);
        if (hook.event === 'BeforeAllowTraffic') await this.shiftTraffic(rec);
        else await this.succeed(rec);
      } else {
        const why = timedOut ? 'timed out after an hour without a status' : 'reported Failed';
        await this.end(rec, {
          status: 'Failed',
          code: 'HOOK_EXECUTION_FAILURE',
          message: `The deployment failed because the ${hook.event} lifecycle event hook (${hook.functionName}) ${why}.`,
          rollbackOn: 'DEPLOYMENT_FAILURE',
        });
      }
      return hook.id;
    });
  }

  /** StopDeployment: ends it where it stands; traffic goes back when `autoRollbackEnabled` (or the group) says so. */
  async stop(id: string | undefined, autoRollbackEnabled: boolean | undefined): Promise<{ status: string; statusMessage: string }> {
    const first = await this.ledger.load(id);
    return this.ledger.serially(first.value.id, async () => {
      const rec = await this.ledger.load(first.value.id);
      if (isDone(rec.value.status)) throw CodeDeployErrors.deploymentAlreadyCompleted(rec.value.id);
      await this.end(rec, {
        status: 'Stopped',
        code: 'MANUAL_STOP',
        message: 'The deployment was stopped by a user.',
        rollbackOn: 'DEPLOYMENT_STOP_ON_REQUEST',
        ...(autoRollbackEnabled !== undefined ? { rollback: autoRollbackEnabled } : {}),
      });
      return { status: 'Succeeded', statusMessage: `Deployment ${rec.value.id} stopped.` };
    });
  }

  /** At start: deployments under way carry on (hooks keep their remaining hour; traffic shifts carry on in src/deployments). */
  async restore(): Promise<void> {
    for (const d of await this.list({ statuses: ['Created', 'InProgress'] })) {
      if (d.status === 'Created') this.beginLater(d.id);
      for (const h of d.hooks) if (h.status === 'InProgress') this.hooks.watch(d.id, h);
      if (d.phase === 'AllowTraffic' && d.trafficDeploymentId) {
        this.owners.set(d.trafficDeploymentId, d.id);
        const t = await this.traffic.get(d.trafficDeploymentId).catch(() => undefined);
        if (t && t.status !== 'InProgress') this.trafficFinished(t);
      }
    }
  }

  shutdown(): void {
    this.hooks.stop();
  }

  private beginLater(id: string): void {
    void this.ledger.serially(id, () => this.begin(id)).catch((err: unknown) => this.logger.error('codedeploy deployment could not begin', { id, error: String(err) }));
  }

  private async begin(id: string): Promise<void> {
    const rec = await this.ledger.load(id);
    if (rec.value.status !== 'Created') return;
    this.move(rec.value, 'InProgress');
    rec.value.startedAt = this.clock.now();
    if (rec.value.target.beforeAllowTraffic) await this.runHook(rec, 'BeforeAllowTraffic', rec.value.target.beforeAllowTraffic);
    else await this.shiftTraffic(rec);
  }

  private async runHook(rec: Loaded, event: HookEvent, functionName: string): Promise<void> {
    const hook = this.hooks.begin(event, functionName);
    rec.value.phase = event;
    rec.value.hooks.push(hook);
    await this.ledger.save(rec);
    try {
      await this.hooks.invokeHook(rec.value.id, hook);
    } catch (err) {
      this.hooks.forget(hook.id);
      const i = rec.value.hooks.length - 1;
      rec.value.hooks[i] = { ...hook, status: 'Failed', endedAt: this.clock.now() };
      await this.end(rec, { status: 'Failed', code: 'HOOK_EXECUTION_FAILURE', message: `The ${event} lifecycle event hook ${functionName} could not be invoked: ${(err as Error).message}`, rollbackOn: 'DEPLOYMENT_FAILURE' });
    }
  }

  private async shiftTraffic(rec: Loaded): Promise<void> {
    const d = rec.value;
    d.phase = 'AllowTraffic';
    await this.ledger.save(rec);
    const alarms = d.alarmConfiguration.enabled ? d.alarmConfiguration.alarms : [];
    let t: DeploymentRecord;
    try {
      t = await this.traffic.start({
        functionName: d.target.functionName,
        alias: d.target.alias,
        strategy: lambdaConfig(d.deploymentConfigName)!.strategy,
        version: d.target.targetVersion,
        fromVersion: d.target.currentVersion,
        // CodeDeploy watches alarms only; Selfless's error-rate guard stays off (errors over invocations never exceed 1).
        maxErrorRate: 1,
        alarms,
        rollbackOnAlarm: this.rollsBack(d, 'DEPLOYMENT_STOP_ON_ALARM'),
      });
    } catch (err) {
      await this.end(rec, { status: 'Failed', code: 'INVALID_LAMBDA_CONFIGURATION', message: (err as Error).message, rollbackOn: 'DEPLOYMENT_FAILURE' });
      return;
    }
    this.owners.set(t.id, d.id);
    d.trafficDeploymentId = t.id;
    await this.ledger.save(rec);
    const now = await this.traffic.get(t.id);
    if (now.status !== 'InProgress') await this.afterTraffic(rec, now);
  }

  private trafficFinished(t: DeploymentRecord): void {
    const id = this.owners.get(t.id);
    if (id === undefined) return; // not a CodeDeploy deployment's, or not yet claimed (shiftTraffic looks again)
    void this.ledger.serially(id, async () => this.afterTraffic(await this.ledger.load(id), t)).catch((err: unknown) => this.logger.error('codedeploy deployment step failed', { id, error: String(err) }));
  }

  private async afterTraffic(rec: Loaded, t: DeploymentRecord): Promise<void> {
    const d = rec.value;
    if (isDone(d.status) || d.phase !== 'AllowTraffic' || d.trafficDeploymentId !== t.id) return; // already acted on
    this.owners.delete(t.id);
    if (t.status === 'Succeeded') {
      if (d.target.afterAllowTraffic) await this.runHook(rec, 'AfterAllowTraffic', d.target.afterAllowTraffic);
      else await this.succeed(rec);
      return;
    }
    const alarm = t.status === 'RolledBack' || t.status === 'Stopped';
    await this.end(rec, {
      status: alarm ? 'Stopped' : 'Failed',
      code: alarm ? 'ALARM_ACTIVE' : 'INVALID_LAMBDA_CONFIGURATION',
      message: alarm ? `One or more alarms have been activated according to the Amazon CloudWatch metrics you selected, and the affected deployments have been stopped. ${t.reason ?? ''}`.trim() : (t.reason ?? 'The traffic shift failed.'),
      // src/deployments has already put the alias back (or left it, as the group says).
      rollback: false,
    });
    if (t.status === 'RolledBack') await this.recordRollback(rec, t.fromVersion!);
  }

  private async succeed(rec: Loaded): Promise<void> {
    this.move(rec.value, 'Succeeded');
    rec.value.completedAt = this.clock.now();
    await this.ledger.save(rec);
    await this.recordOnGroup(rec.value);
  }

  /** Ends the deployment; traffic that moved goes back when the rollback configuration (or an explicit choice) says so. */
  private async end(rec: Loaded, e: Ending): Promise<void> {
    const d = rec.value;
    for (const h of d.hooks) this.hooks.forget(h.id);
    const rollback = e.rollback ?? (e.rollbackOn !== undefined && this.rollsBack(d, e.rollbackOn));
    const shifting = d.phase === 'AllowTraffic' && d.trafficDeploymentId !== undefined;
    if (shifting) {
      this.owners.delete(d.trafficDeploymentId!);
      await this.traffic.stopDeployment(d.trafficDeploymentId!, e.message, rollback);
    }
    this.move(d, e.status);
    d.completedAt = this.clock.now();
    d.error = { code: e.code, message: e.message };
    await this.ledger.save(rec);
    if (rollback && shifting) await this.recordRollback(rec, d.target.currentVersion);
    else if (rollback && d.phase === 'AfterAllowTraffic') {
      // All traffic is on the target: a rollback deployment shifts it back at once.
      await this.traffic.start({ functionName: d.target.functionName, alias: d.target.alias, strategy: 'AllAtOnce', version: d.target.currentVersion, fromVersion: d.target.targetVersion });
      await this.recordRollback(rec, d.target.currentVersion);
    }
    await this.recordOnGroup(d);
    this.logger.warn('codedeploy deployment ended', { id: d.id, status: d.status, code: e.code, reason: e.message });
  }

  /** CodeDeploy records a rollback as a deployment of its own, which the failed one points to. */
  private async recordRollback(rec: Loaded, version: string): Promise<void> {
    const back = rollbackDeployment(rec.value, newDeploymentId(), version, this.clock.now());
    await this.store.deployments.create(back.id, back);
    rec.value.rollback = { rollbackDeploymentId: back.id, rollbackMessage: `Deployment ${rec.value.id} was rolled back by deployment ${back.id}.` };
    await this.ledger.save(rec);
  }

  private rollsBack(d: CodeDeployDeployment, event: AutoRollbackEvent): boolean {
    return d.autoRollbackConfiguration.enabled && d.autoRollbackConfiguration.events.includes(event);
  }

  private move(d: CodeDeployDeployment, to: CodeDeployStatus): void {
    CODEDEPLOY_STATES.check(d.status, to);
    d.status = to;
  }

  private async recordOnGroup(d: CodeDeployDeployment): Promise<void> {
    await this.apps.recordDeployment(d.applicationName, d.deploymentGroupName, { deploymentId: d.id, status: d.status, createdAt: d.createdAt, ...(d.completedAt !== undefined ? { endedAt: d.completedAt } : {}) });
  }
}
