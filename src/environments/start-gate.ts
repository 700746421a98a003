/**
 * Admission for new environments: at most `concurrentStarts` initialise at once (sized to the CPUs,
 * so a burst of a hundred does not starve every init past its time limit) and at most
 * `maxEnvironments` live at once (bounded by memory). Starts wait in line, invocations' before
 * background work (pre-started runtimes, starts ahead of load), which also waits while an
 * invocation's environment initialises: on a machine of a few CPUs a pre-started runtime's start,
 * begun as a cold start took one, ran beside that cold start's init and slowed it. A start no
 * longer needed when granted ends its permit at once.
 *
 * With `settle`, background starts also wait, after an invocation's environment has initialised,
 * until it has answered its first invocation (`settled`), or for `settle.ms` at most: a pre-started
 * runtime's replacement (bubblewrap and a Node.js start, ~30 ms of CPU) started beside that first
 * invocation took a CPU from the runtime, the server and the client on a machine of two.
 *
 * With `adaptive`, the bound on starts rises above `concurrentStarts` (up to a ceiling) while starts
 * wait and the machine's CPUs still have room, and comes back down when they have none: part of a
 * start waits on the kernel (namespaces, mounts, cgroups), and how much depends on the machine.
 */
import type { Clock, Timer } from '../lib/clock.js';

export type StartPriority = 'invoke' | 'background';

/** Held from admission to the environment's death; its start slot returns once it has initialised. */
export interface StartPermit {
  /** The environment finished initialising (or failed to): its start slot goes to the next in line. */
  initialised(): void;
  /** The environment has answered its first invocation (or went idle without one): background starts may go. */
  settled(): void;
  /** The environment is gone: its place among the live ones is free. Also ends the start slot. */
  ended(): void;
}

export interface StartTicket {
  readonly granted: Promise<StartPermit>;
}

interface Waiting {
  grant(permit: StartPermit): void;
}

/** Idle CPU share above which one more start may run, and below which the bound steps back down. */
export const RAISE_WHEN_IDLE = 0.2;
export const LOWER_WHEN_IDLE = 0.05;

export interface AdaptiveStarts {
  /** The most starts at once, however idle the machine. */
  ceiling: number;
  /** The machine's idle CPU share since the last call (see ./machine-cpu.ts); undefined when unknown. */
  idleSinceLast(): number | undefined;
  clock: Clock;
  /** How often the room is measured while starts wait. */
  intervalMs?: number;
}

/** The longest background starts wait, after an invocation's environment initialised, for its first answer. */
export interface SettleWait {
  ms: number;
  clock: Clock;
}

export class StartGate {
  private starting = 0;
  /** Of `starting`, those for invocations. */
  private startingForInvoke = 0;
  /** The bound on starts now: `concurrentStarts`, or above it while the machine has room. */
  private limit: number;
  private sampling: Timer | undefined;
  /** Invocations' starts granted whose environments have not answered a first invocation yet (see SettleWait). */
  private unsettled = 0;
  private live = 0;
  /** Idle environments asked to stop to make room, not yet gone. */
  private reclaiming = 0;
  private readonly lines: Record<StartPriority, Waiting[]> = { invoke: [], background: [] };
  /** Asked to stop one idle environment when the live bound holds starts back; true if it did. */
  reclaim: () => boolean = () => false;

  constructor(
    readonly concurrentStarts: number,
    readonly maxEnvironments: number,
    private readonly adaptive?: AdaptiveStarts,
    private readonly settle?: SettleWait,
  ) {
    this.limit = concurrentStarts;
  }

  /** Starts in progress, their bound now, and environments alive, for `selfless` status and tests. */
  get counts(): { starting: number; limit: number; live: number; waiting: number } {
    return { starting: this.starting, limit: this.limit, live: this.live, waiting: this.waiting() };
  }

  private waiting(): number {
    return this.lines.invoke.length + this.lines.background.length;
  }

  /** While starts wait for a slot: measures the machine's room and moves the bound. */
  private sample(): void {
    const adaptive = this.adaptive;
    if (adaptive === undefined || this.sampling !== undefined) return;
    adaptive.idleSinceLast(); // the interval starts now
    const tick = () => {
      this.sampling = undefined;
      const idle = adaptive.idleSinceLast();
      const held = this.waiting() > 0 && this.starting >= this.limit && this.live < this.maxEnvironments;
      if (idle === undefined || !held) {
        this.limit = this.concurrentStarts;
        if (idle !== undefined && this.waiting() > 0) this.sampling = adaptive.clock.setTimeout(tick, adaptive.intervalMs ?? 100);
        return;
      }
      if (idle > RAISE_WHEN_IDLE && this.limit < adaptive.ceiling) this.limit++;
      else if (idle < LOWER_WHEN_IDLE && this.limit > this.concurrentStarts) this.limit--;
      this.sampling = adaptive.clock.setTimeout(tick, adaptive.intervalMs ?? 100);
      this.pump();
    };
    this.sampling = adaptive.clock.setTimeout(tick, adaptive.intervalMs ?? 100);
  }

  acquire(priority: StartPriority): StartTicket {
    let grant!: (permit: StartPermit) => void;
    const granted = new Promise<StartPermit>((resolve) => (grant = resolve));
    const waiting: Waiting = { grant };
    const line = this.lines[priority];
    line.push(waiting);
    this.pump();
    return { granted };
  }

  /** An environment went idle: if starts wait for room, it may be the one to stop. */
  idleAppeared(): void {
    this.pump();
  }

  private pump(): void {
    if (this.starting >= this.limit && this.waiting() > 0) this.sample();
    while (this.starting < this.limit) {
      const priority: StartPriority = this.lines.invoke.length > 0 ? 'invoke' : 'background';
      const line = this.lines[priority];
      if (line.length === 0 || (priority === 'background' && this.backgroundHeld())) return;
      if (this.live >= this.maxEnvironments) {
        // Room comes back when a reclaimed environment has exited (its permit ends). Only
        // invocations take another function's idle environment; background work waits for room.
        if (this.reclaiming < this.lines.invoke.length && this.reclaim()) this.reclaiming++;
        return;
      }
      const next = line.shift()!;
      this.starting++;
      if (priority === 'invoke') this.startingForInvoke++;
      this.live++;
      next.grant(this.permit(priority));
    }
  }

  /** Background starts wait while an invocation's environment initialises, and until it settles. */
  private backgroundHeld(): boolean {
    return this.startingForInvoke > 0 || this.unsettled > 0;
  }

  private permit(priority: StartPriority): StartPermit {
    let starting = true;
    let alive = true;
    let holding = priority === 'invoke' && this.settle !== undefined;
    if (holding) this.unsettled++;
    let settleTimer: Timer | undefined;
    const settled = () => {
      settleTimer?.cancel();
      if (!holding) return;
      holding = false;
      this.unsettled--;
      this.pump();
    };
    const startEnded = () => {
      starting = false;
      this.starting--;
      if (priority === 'invoke') this.startingForInvoke--;
      if (holding) settleTimer = this.settle!.clock.setTimeout(settled, this.settle!.ms);
    };
    return {
      initialised: () => {
        if (!starting) return;
        startEnded();
        this.pump();
      },
      settled,
      ended: () => {
        if (!alive) return;
        alive = false;
        if (starting) startEnded();
        this.live--;
        if (this.reclaiming > 0) this.reclaiming--;
        settled();
        this.pump();
      },
    };
  }
}

/** The longest background starts wait for a cold-started environment's first answer, once it has initialised. */
export const SETTLE_WAIT_MS = 100;

/** One start at a time per CPU, but never fewer than two: part of a start waits on the kernel, not the CPU. */
export const defaultConcurrentStarts = (cpus: number): number => Math.max(2, cpus);

/** One environment per 64 MiB of the machine's memory: most idle environments take far less, and limits are caps. */
export const defaultMaxEnvironments = (totalMemoryBytes: number): number => Math.max(16, Math.floor(totalMemoryBytes / (64 * 1024 * 1024)));
