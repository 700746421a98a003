/**
 * One execution environment: an OS process running a runtime, its own Runtime API endpoint, and
 * an explicit lifecycle (./environment-states.ts): one invocation at a time, or several at once
 * for Lambda Managed Instances (./concurrent-slots.ts).
 *
 * An environment takes invocations only once initialised: its pool queues them until one is ready.
 * One that dies while initialising keeps how it failed, for the invocation waiting on its pool.
 */
import type { ClosedInvocation, InvocationOutcome, InvocationRequest, InvocationResult } from '../domain/invocation.js';
import type { Timer } from '../lib/clock.js';
import { newHexId } from '../lib/ids.js';
import { CONCURRENT_INIT_MS, CONCURRENT_STATES, STATES, type EnvironmentState } from './environment-states.js';
import { closeLog, type Active } from './active-invocation.js';
import type { ConnectionCheck, EnvironmentDeps, EnvironmentSpec, LaunchPlan } from './environment-spec.js';
import { answers, nextHeaders, type ApiAnswer } from '../runtime-api/rendering.js';
import type { BodyStream } from '../runtime-api/http1.js';
import type { RuntimeApiHandler } from '../runtime-api/routes.js';
import { connectionBelongsTo } from '../runtime-api/peer-check.js';
import type { RuntimeApiEndpoint } from '../runtime-api/server.js';
import { IdleFreezer } from './idle-freezer.js';
import { InitRecord } from './init-record.js';
import { InvocationLog, type PlatformLines } from './invocation-log.js';
import { EnvironmentOutput } from './environment-output.js';
import type { LaunchedProcess } from './launcher.js';
import { MemoryPeak } from './memory-peak.js';
import { StreamedResponse } from './streamed-response.js';
import { errorBody, outcomes } from './outcomes.js';
import { ConcurrentSlots, type Poll } from './concurrent-slots.js';

export type { EnvironmentState } from './environment-states.js';
export type { ConnectionCheck, EnvironmentDeps, EnvironmentSpec, LaunchPlan } from './environment-spec.js';

export class Environment implements RuntimeApiHandler {
  readonly id = newHexId();
  private state: EnvironmentState = 'starting';
  private process!: LaunchedProcess;
  /** The launch under way, then done: what a Runtime API connection arriving early waits for. */
  private launching: Promise<LaunchedProcess> | undefined;
  private api!: RuntimeApiEndpoint;
  /** Monotonic time the environment started at. */
  readonly startedAt: number;
  /** Took over a pre-started runtime rather than starting its own process. */
  preStarted = false;
  private initTimer: Timer | undefined;
  private pendingNext: ((headers: string, body: Buffer) => boolean) | undefined;
  private active: Active | undefined;
  /** An invocation answered but whose log is still open: output that raced its answer still belongs to it. */
  private closing: Active | undefined;
  private lastCompletedId: string | undefined;
  private initialised = false;
  /** Init time not yet reported: the first invocation after a cold start carries it. */
  private unreportedInitMs: number | undefined;
  /** Output printed while initialising, and how initialisation failed, once it has. */
  private readonly init = new InitRecord();
  private readonly memory = new MemoryPeak();
  private readonly freezer: IdleFreezer;
  /** Set when the environment should stop after its current invocation (reset, new code). */
  retiring = false;
  /** Multi-concurrency only: its invocations, and those answered whose log is still open. */
  private readonly slots: ConcurrentSlots<Active> | undefined;
  private stopping = false;

  private resolveInitialised!: (ok: boolean) => void;
  /** Settles true once the runtime has initialised (first /next), false if it died before. */
  readonly initialisedOk = new Promise<boolean>((resolve) => (this.resolveInitialised = resolve));

  /** Where its lines go: the invocation they belong to, init's record, or the function's log stream. */
  private readonly output: EnvironmentOutput;

  /** Whether an invocation was ever delivered to it. */
  private invoked = false;

  constructor(
    readonly spec: EnvironmentSpec,
    private readonly plan: LaunchPlan,
    private readonly deps: EnvironmentDeps<Environment>,
    readonly provisioned: boolean,
  ) {
    this.startedAt = deps.clock.monotonic();
    this.freezer = new IdleFreezer(() => this.process, deps.clock);
    this.output = new EnvironmentOutput(spec.logs.groupKey, spec.logs.streamPrefix, spec.version, this.id, deps.logs, plan.mask, deps.clock);
    if ((spec.maxConcurrency ?? 1) > 1) this.slots = new ConcurrentSlots(spec.maxConcurrency!);
  }

  /**
   * Tells this environment's own connections apart, when the server admits peers only (sandboxed). A
   * connection may come before the launcher has told the pid (the process starts meanwhile): it waits for it.
   */
  get connectionCheck(): ConnectionCheck | undefined {
    if (!this.deps.admitPeers) return undefined;
    return (c, s) => (this.launching ? this.launching.then((p) => connectionBelongsTo(p.pid, c, s), () => false) : Promise.resolve(false));
  }

  /** Gives it its Runtime API endpoint and the process being launched for it (./environment-launch.ts, once). */
  attach(api: RuntimeApiEndpoint, launching: Promise<LaunchedProcess>): void {
    this.api = api;
    this.launching = launching;
  }

  /** Its process runs: from now on its exit ends the environment and the init limit counts. */
  started(process: LaunchedProcess): void {
    this.process = process;
    void process.exited.then((how) => this.onExit(how));
    this.initTimer = this.deps.clock.setTimeout(() => this.onInitTimeout(), this.initLimitMs);
  }

  private get initLimitMs(): number {
    return this.slots ? Math.max(CONCURRENT_INIT_MS, this.spec.timeoutSeconds * 1000) : this.deps.initTimeoutMs;
  }

  /** Invocations it runs now. */
  get inFlight(): number {
    return this.slots ? this.slots.inFlight : this.active ? 1 : 0;
  }

  /** vCPUs it is entitled to (Lambda Managed Instances); one otherwise. */
  get vcpus(): number {
    return this.spec.vcpus ?? 1;
  }

  /** Serves several invocations at once (Lambda Managed Instances). */
  get concurrent(): boolean {
    return this.slots !== undefined;
  }

  /** The log stream its lines go to. */
  get logStream(): string {
    return this.output.stream;
  }

  get currentState(): EnvironmentState {
    return this.state;
  }

  /** The host's id of the environment's first process (the sandbox's, when sandboxed). */
  get pid(): number {
    return this.process.pid;
  }

  /** host:port of this environment's Runtime API. */
  get runtimeApiAddress(): string {
    return this.api.address;
  }

  /** Settles once the environment's process has exited. */
  get exited(): Promise<unknown> {
    return this.process.exited;
  }

  /** Can take an invocation now (idle) or as soon as its runtime asks for one (finishing). */
  get available(): boolean {
    if (this.slots) return !this.retiring && !this.stopping && (this.state === 'idle' || this.state === 'busy') && this.slots.hasRoom;
    return !this.retiring && this.active === undefined && (this.state === 'idle' || this.state === 'finishing');
  }

  /** Its processes are stopped while it waits for an invocation. */
  get isFrozen(): boolean {
    return this.freezer.frozen;
  }

  /** Died before initialising, and how: the pool answers one waiting invocation with it. */
  get failedInit(): boolean {
    return this.init.failed;
  }

  invoke(req: InvocationRequest): Promise<InvocationResult> {
    if (!this.available) throw new Error(`environment ${this.id} cannot take an invocation in state ${this.state}`);
    return new Promise<InvocationResult>((resolve) => {
      const now = this.deps.clock.now();
      const timeoutMs = this.spec.timeoutSeconds * 1000;
      const a: Active = {
        req,
        log: new InvocationLog(),
        deadlineMs: now + timeoutMs,
        timer: undefined,
        ...(this.unreportedInitMs !== undefined ? { initDurationMs: this.unreportedInitMs } : {}),
        resolve,
      };
      this.unreportedInitMs = undefined;
      if (this.slots) {
        if (this.state === 'idle') this.transition('busy');
        const poll = this.slots.assign(a);
        if (poll) this.dispatch(a, poll);
      } else {
        this.active = a;
        if (this.state === 'idle' && this.pendingNext) {
          this.freezer.unfreeze();
          this.deliver();
        }
      }
      // Armed once the event is on its way: the runtime starts on it meanwhile.
      a.timer = this.deps.clock.setTimeout(() => this.onTimeout(a), timeoutMs);
    });
  }

  /**
   * Answers an invocation with how this environment's initialisation failed, as Lambda answers the
   * invocation whose cold start failed: its output while initialising, then START, END and REPORT.
   */
  answerInitFailure(req: InvocationRequest): Promise<InvocationResult> {
    const outcome = this.init.outcome(req.requestId);
    if (!outcome || this.active) throw new Error(`environment ${this.id} has no init failure to answer with`);
    return new Promise<InvocationResult>((resolve) => {
      const log = this.init.take();
      this.output.platformLine(log, this.lines.start(this.deps.clock.now(), req.requestId, req.version));
      this.active = { req, log, deadlineMs: this.deps.clock.now(), timer: undefined, deliveredAt: this.startedAt, resolve };
      this.complete(outcome);
    });
  }

  /** Kills the process tree; an invocation still running ends with Runtime.ExitError and `reason`. */
  stop(reason = 'signal: killed'): void {
    if (this.state === 'dead') return;
    this.stopping = true;
    for (const a of this.slots?.open() ?? []) this.complete(outcomes.exited(a.req.requestId, reason, false), a);
    if (this.active) {
      this.complete(outcomes.exited(this.active.req.requestId, reason, false));
    } else if (!this.initialised) {
      this.init.failUnlessKnown((id) => outcomes.exited(id, reason, false));
    }
    this.process.kill();
    this.die();
  }

  // ---- Runtime API ---------------------------------------------------------------------------

  next(deliver: (headers: string, body: Buffer) => boolean): ApiAnswer | undefined {
    if (this.state === 'dead' || this.init.failed) return answers.containerError();
    if (this.slots) return this.nextConcurrent(deliver);
    this.pendingNext = deliver;
    if (this.state === 'busy') return undefined; // asked again without answering: the invocation runs on to its timeout
    if (this.state === 'starting') this.finishInit();
    if (this.active) {
      this.deliver();
      return undefined;
    }
    if (this.state !== 'idle') this.transition('idle');
    if (this.retiring) {
      this.stop();
      return undefined;
    }
    if (this.deps.freeze) this.freezer.freezeSoon(() => this.state === 'idle');
    this.deps.onIdle(this);
    return undefined;
  }

  /** Multi-concurrency: a runtime worker's poll is gone with its connection; nothing is sent on it. */
  withdraw(poll: Poll): void {
    this.slots?.withdraw(poll);
  }

  response(requestId: string, body: Buffer, oversized: boolean): ApiAnswer {
    const a = this.running(requestId);
    if (!('req' in a)) return a;
    if (oversized) {
      this.complete(outcomes.responseTooLarge(), a);
      return answers.tooLarge();
    }
    this.complete({ ok: true, payload: body }, a);
    return answers.accepted();
  }

  responseStream(requestId: string, contentType: string | undefined): BodyStream | ApiAnswer {
    const a = this.running(requestId);
    if (!('req' in a)) return a;
    if (a.stream) return answers.invalidStateTransition('The response is already being streamed');
    const stream = (a.stream = new StreamedResponse(a.req.responseSink, contentType));
    return {
      chunk: (data) => {
        if (this.isRunning(a)) stream.chunk(data);
      },
      // The runtime's connection broke before the response ended: the environment is not reused.
      abort: () => {
        if (this.isRunning(a)) this.complete(outcomes.exited(a.req.requestId, 'the response stream was interrupted', false), a);
      },
    };
  }

  responseStreamEnd(requestId: string, trailers: ReadonlyMap<string, string> | undefined): ApiAnswer {
    const a = this.running(requestId);
    if (!('req' in a)) return a;
    if (!a.stream) return answers.invalidStateTransition('No response is being streamed');
    this.complete(a.stream.finish(trailers), a);
    return answers.accepted();
  }

  error(requestId: string, errorType: string | undefined, body: Buffer, oversized: boolean): ApiAnswer {
    const a = this.running(requestId);
    if (!('req' in a)) return a;
    const err = errorBody(errorType, oversized ? Buffer.alloc(0) : body);
    this.complete({ ok: false, errorType: err.errorType, payload: err.payload }, a);
    return oversized ? answers.tooLarge() : answers.accepted();
  }

  initError(errorType: string | undefined, body: Buffer, oversized: boolean): ApiAnswer {
    if (this.state !== 'starting') return answers.invalidStateTransition('Init error is only accepted during initialisation');
    const err = errorBody(errorType, oversized ? Buffer.alloc(0) : body);
    this.init.fail(() => ({ ok: false, errorType: err.errorType, payload: err.payload, status: 'error' }));
    this.finishInit(false);
    // The runtime exits after reporting; the environment is not reused either way.
    setImmediate(() => this.stop());
    return answers.accepted();
  }

  // ---- internals -----------------------------------------------------------------------------

  private transition(to: EnvironmentState): void {
    (this.slots ? CONCURRENT_STATES : STATES).check(this.state, to);
    this.state = to;
  }

  private finishInit(ok = true): void {
    this.initTimer?.cancel();
    this.initTimer = undefined;
    if (this.initialised) return;
    const tookMs = this.deps.clock.monotonic() - this.startedAt;
    // Provisioned environments initialise ahead of any invocation: Lambda reports no Init Duration for them.
    if (ok && !this.provisioned) this.unreportedInitMs = tookMs;
    this.initialised = true;
    if (ok) this.output.flushInit(this.init);
    this.resolveInitialised(ok);
  }

  private deliver(): void {
    const a = this.active!;
    const send = this.pendingNext!;
    this.pendingNext = undefined;
    this.transition('busy');
    this.send(a, send);
  }

  /** Multi-concurrency: a poll arrived; the first one ends init. */
  private nextConcurrent(poll: Poll): ApiAnswer | undefined {
    const waiting = this.slots!.poll(poll);
    if (waiting) this.dispatch(waiting, poll);
    if (this.state !== 'starting') return undefined;
    this.finishInit();
    this.transition('idle');
    if (this.retiring) this.stop();
    else this.deps.onIdle(this);
    return undefined;
  }

  /** Multi-concurrency: delivers on `poll`, or on the next open poll if its connection is gone. */
  private dispatch(a: Active, poll: Poll | undefined): void {
    while (poll && !this.send(a, poll)) poll = this.slots!.undeliver(a);
  }

  /** Sends the invocation on a `/next` poll; false if the runtime's connection is gone. */
  private send(a: Active, send: Poll): boolean {
    const headers = nextHeaders({
      requestId: a.req.requestId,
      deadlineMs: a.deadlineMs,
      invokedFunctionArn: a.req.invokedFunctionArn,
      traceId: a.req.traceId,
      clientContext: a.req.clientContext,
      cognitoIdentity: a.req.cognitoIdentity,
      tenantId: a.req.tenantId,
    });
    a.deliveredAt = this.deps.clock.monotonic();
    if (!this.invoked) {
      this.invoked = true;
      this.plan.invoking?.(this.id, this.connectionCheck);
    }
    // The runtime's connection is gone; its process exit ends the invocation.
    if (!send(headers, a.req.payload)) return false;
    // Written after the event went out (the runtime's output cannot reach us before this returns).
    this.output.platformLine(a.log, this.lines.start(this.deps.clock.now(), a.req.requestId, a.req.version));
    return true;
  }

  /** The running invocation a Runtime API call names, or the answer refusing the call. */
  private running(requestId: string): Active | ApiAnswer {
    if (this.slots) {
      const a = this.slots.find(requestId);
      if (a) return a;
      return this.slots.wasAnswered(requestId) ? answers.invalidStateTransition('The invocation has already been answered') : answers.invalidRequestId();
    }
    if (this.active?.req.requestId === requestId && this.state === 'busy') return this.active;
    if (requestId === this.lastCompletedId) return answers.invalidStateTransition('The invocation has already been answered');
    return answers.invalidRequestId();
  }

  private isRunning(a: Active): boolean {
    return this.slots ? this.slots.find(a.req.requestId) === a : this.active === a;
  }

  private complete(outcome: InvocationOutcome, a = this.active): void {
    if (!a) return;
    if (a === this.active) this.active = undefined;
    else if (this.slots?.isOpen(a)) this.slots.finish(a);
    else return;
    a.timer?.cancel();
    a.stream?.close(outcome);
    this.lastCompletedId = a.req.requestId;
    const ended = this.deps.clock.monotonic();
    const killed = !outcome.ok && outcome.status !== undefined;
    // Read before its process is gone; otherwise with the log, off the answer's path (the peak only grows).
    if (killed) this.memory.sample(this.process);
    // The caller has its answer now; the log closes once output the runtime wrote before answering has reached us.
    let close!: (closed: ClosedInvocation) => void;
    a.resolve({ outcome, closed: new Promise<ClosedInvocation>((resolve) => (close = resolve)) });
    if (!this.slots) this.closing = a;
    setImmediate(() => close(this.finalize(a, outcome, ended, !killed)));
    if (this.slots) return this.slotFreed(killed && outcome.status !== 'timeout');
    if (killed) this.stop();
    else if (this.state === 'busy') this.transition('finishing');
  }

  /** Multi-concurrency: a timed-out invocation frees its slot, its code may run on; a crash ends them all. */
  private slotFreed(crashed: boolean): void {
    if (this.stopping || this.state === 'dead') return;
    if (crashed) return this.stop();
    if (this.state === 'busy' && this.slots!.inFlight === 0) this.transition('idle');
    if (this.retiring && this.slots!.inFlight === 0) this.stop();
    else if (!this.retiring) this.deps.onIdle(this);
  }

  private finalize(a: Active, outcome: InvocationOutcome, ended: number, sampleMemory: boolean): ClosedInvocation {
    if (this.closing === a) this.closing = undefined;
    this.slots?.closed(a);
    if (sampleMemory) this.memory.sample(this.process);
    const memory = { sizeMb: this.spec.memoryMb, usedMb: this.memory.usedMb(this.spec.memoryMb) };
    const report = closeLog(a, outcome, ended, this.deps.clock.now(), this.lines, memory);
    return { outcome, report, log: this.output.closeInvocation(a) };
  }

  /** Lambda's text lines, or JSON records filtered by the system log level. */
  private get lines(): PlatformLines {
    return this.spec.platformLines;
  }

  /** A line its runtime wrote, on stdout or stderr. */
  onOutput(line: string): void {
    this.output.line(line, this.slots ? this.slots.ownerOfLine(line) : (this.active ?? this.closing), this.init);
  }

  private onTimeout(a: Active): void {
    if (!this.isRunning(a) && !this.slots?.isOpen(a)) return;
    const secs = this.spec.timeoutSeconds.toFixed(2);
    a.log.add(this.deps.clock.now(), `${new Date(this.deps.clock.now()).toISOString()} ${a.req.requestId} Task timed out after ${secs} seconds`);
    this.complete(outcomes.timedOut(a.req.requestId, secs), a);
  }

  private onInitTimeout(): void {
    if (this.state !== 'starting') return;
    const secs = (this.initLimitMs / 1000).toFixed(2);
    this.deps.logger.warn('environment did not finish init in time', { function: this.spec.functionName, env: this.id });
    this.init.fail((id) => outcomes.initTimedOut(id, secs));
    this.stop();
  }

  private onExit(how: string): void {
    this.stopping = true;
    for (const a of this.slots?.open() ?? []) this.complete(outcomes.exited(a.req.requestId, how, this.process.oomKilled()), a);
    if (this.active) {
      const id = this.active.req.requestId;
      this.complete(outcomes.exited(id, how, this.process.oomKilled()));
    } else if (!this.initialised) {
      const oom = this.process.oomKilled();
      this.init.failUnlessKnown((id) => outcomes.exited(id, how, oom));
    }
    this.die();
  }

  private die(): void {
    if (this.state === 'dead') return;
    this.freezer.cancel();
    if (!this.initialised) {
      this.initialised = true;
      this.init.failUnlessKnown((id) => outcomes.exited(id, 'signal: killed', false));
    }
    this.resolveInitialised(false);
    this.transition('dead');
    this.initTimer?.cancel();
    this.pendingNext = undefined;
    this.slots?.dropPolls();
    this.api.close();
    this.plan.ended?.(this.id);
    this.deps.onDead(this);
    // Unless an invocation took them with the failure, what init printed still reaches the log.
    this.output.flushInit(this.init);
  }
}
