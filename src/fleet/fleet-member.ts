/**
 * This node in the fleet that shares its store: it joins under its id (refused while a node of that
 * id still beats), beats every third of the dead-after time with its load, and on each beat takes
 * or renews the leases of the singleton tasks it can run (alarm evaluation, say), each until one
 * dead-after time from then. A node that stops beating loses its leases when they expire, which is
 * when the others see it dead; one that stops cleanly lets go of them at once.
 *
 * A lease counts as held only until the expiry of its last successful renewal, so a node cut off
 * from the store stops running the task before another can take it over.
 *
 * States: `new` → `joined` (beating) → `left`.
 */
import { hostname } from 'node:os';
import { stateOf, type LeaseRecord, type NodeLoad, type NodeRecord, type NodeState } from '../domain/fleet.js';
import type { Clock } from '../lib/clock.js';
import type { Logger } from '../lib/logger.js';
import { Periodic } from '../lib/periodic.js';
import type { FleetRepo } from '../storage/fleet-repo.js';

/** Silent nodes are forgotten after a day. */
const FORGET_AFTER_MS = 24 * 3_600_000;

export interface FleetMemberOptions {
  id: string | undefined;
  deadAfterMs: number;
  capacity: NodeRecord['capacity'];
  /** The leases this node takes when free. */
  roles: readonly string[];
  /**
   * Whether a node of this id that still beats keeps a new one out (a shared store). On a store only
   * one server opens (SQLite), a server restarted after a crash takes its own place at once.
   */
  exclusive: boolean;
  /** Whether to read the other nodes on each beat (their addresses and loads, to send invocations to). */
  trackPeers?: boolean;
}

export interface FleetView {
  self: string;
  deadAfterMs: number;
  nodes: (NodeRecord & { state: NodeState })[];
  leases: LeaseRecord[];
}

export class FleetJoinError extends Error {}

export class FleetMember {
  readonly id: string;
  private state: 'new' | 'joined' | 'left' = 'new';
  private readonly heldUntil = new Map<string, number>();
  private readonly beats: Periodic;
  private readonly afterBeats: (() => Promise<void>)[] = [];
  private known: readonly NodeRecord[] = [];
  private beatAt = 0;

  constructor(
    private readonly repo: FleetRepo,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly options: FleetMemberOptions,
    private readonly load: () => NodeLoad,
  ) {
    this.id = options.id ?? hostname();
    this.beats = new Periodic(clock, () => Math.max(100, Math.floor(options.deadAfterMs / 3)), () => this.beat(), (err) =>
      this.logger.warn('fleet heartbeat failed', { node: this.id, error: String(err) }),
    );
  }

  /** Joins the fleet as reachable at `advertise`; refused while another node of this id beats. */
  async join(advertise: string): Promise<void> {
    if (this.state !== 'new') throw new Error(`node ${this.id} has ${this.state}`);
    const now = this.clock.now();
    const record: NodeRecord = { id: this.id, advertise, startedAt: now, heartbeatAt: now, capacity: this.options.capacity, load: this.load() };
    const aliveSince = this.options.exclusive ? now - this.options.deadAfterMs : Number.MAX_SAFE_INTEGER;
    if (!(await this.repo.join(record, aliveSince))) {
      throw new FleetJoinError(`another node named ${this.id} is running on this store (its heartbeat is recent): give each node its own --node-id`);
    }
    this.state = 'joined';
    this.beatAt = now;
    // The concurrency slots and pool share a previous run under this id held when it died (it is not running any more).
    await this.repo.releaseSlots(this.id);
    await this.repo.releasePoolShare(this.id);
    await this.repo.forget(now - FORGET_AFTER_MS);
    await this.takeLeases(now);
    await this.readPeers();
    this.beats.start();
  }

  /** Runs after each heartbeat, once the leases are taken or renewed (a task picks up work its lease now gives it). */
  afterEachBeat(fn: () => Promise<void>): void {
    this.afterBeats.push(fn);
  }

  /** The fleet's nodes as read on the last beat, this one included (empty unless `trackPeers`). */
  get peers(): readonly NodeRecord[] {
    return this.known;
  }

  /** When this node's last heartbeat reached the store (epoch ms; 0 before it joined). */
  get lastBeatAt(): number {
    return this.state === 'joined' ? this.beatAt : 0;
  }

  get deadAfterMs(): number {
    return this.options.deadAfterMs;
  }

  /** Whether this node runs the singleton task `role` (or holds the lease `role` taken with lease()) now. */
  holds(role: string): boolean {
    return this.state === 'joined' && (this.heldUntil.get(role) ?? 0) > this.clock.now();
  }

  /**
   * Takes or renews a lease beside the roles (one per event source mapping, say), until one
   * dead-after time from now: whether this node holds it now. The caller renews it on each beat.
   */
  async lease(name: string): Promise<boolean> {
    if (this.state !== 'joined') return false;
    const now = this.clock.now();
    return this.take(name, now, now + this.options.deadAfterMs);
  }

  /** Lets go of a lease taken with lease(): another node may take it at once. */
  async release(name: string): Promise<void> {
    if (!this.heldUntil.delete(name) || this.state !== 'joined') return;
    await this.repo.release(name, this.id);
  }

  async view(): Promise<FleetView> {
    const now = this.clock.now();
    const [nodes, leases] = await Promise.all([this.repo.nodes(), this.repo.leases()]);
    return { self: this.id, deadAfterMs: this.options.deadAfterMs, nodes: nodes.map((n) => ({ ...n, state: stateOf(n, now, this.options.deadAfterMs) })), leases };
  }

  /** Stops beating and leaves: its leases are free at once. */
  async leave(): Promise<void> {
    if (this.state !== 'joined') return;
    this.state = 'left';
    await this.beats.stop();
    this.heldUntil.clear();
    await this.repo.leave(this.id, this.clock.now()).catch((err: unknown) => this.logger.warn('could not record that this node left the fleet', { node: this.id, error: String(err) }));
  }

  private async beat(): Promise<void> {
    if (this.state !== 'joined') return;
    const now = this.clock.now();
    await this.repo.heartbeat(this.id, now, this.load());
    this.beatAt = now;
    await this.takeLeases(now);
    await this.readPeers();
    for (const fn of this.afterBeats) await fn().catch((err: unknown) => this.logger.warn('a task after the fleet heartbeat failed', { node: this.id, error: String(err) }));
  }

  private async readPeers(): Promise<void> {
    if (this.options.trackPeers) this.known = await this.repo.nodes();
  }

  private async takeLeases(now: number): Promise<void> {
    const until = now + this.options.deadAfterMs;
    for (const role of this.options.roles) await this.take(role, now, until);
  }

  private async take(name: string, now: number, until: number): Promise<boolean> {
    const held = this.holds(name);
    if (await this.repo.acquire(name, this.id, now, until)) {
      this.heldUntil.set(name, until);
      if (!held) this.logger.info('this node took a lease', { node: this.id, lease: name });
      return true;
    }
    this.heldUntil.delete(name);
    if (held) this.logger.warn('this node lost a lease', { node: this.id, lease: name });
    return false;
  }
}
