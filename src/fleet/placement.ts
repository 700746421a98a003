/**
 * Where in the fleet an invocation runs: here when this node has an idle environment of the version;
 * else on a live node whose last heartbeat published one (the one with the most room); else, when
 * this node is at its environment limit with none idle to make way, on the live node with the most
 * room. Decided from the heartbeats already read (FleetMember.peers): no store round trip.
 */
import { stateOf, type NodeRecord } from '../domain/fleet.js';
import type { Clock } from '../lib/clock.js';

export interface LocalCapacity {
  /** Whether the version has an idle environment here. */
  hasIdle(functionName: string, version: string): boolean;
  /** Whether a new environment can start here now (under the limit, or an idle one to stop for it). */
  canStart(): boolean;
}

export interface FleetPeers {
  readonly id: string;
  readonly deadAfterMs: number;
  readonly peers: readonly NodeRecord[];
}

export class Placement {
  constructor(
    private readonly fleet: FleetPeers,
    private readonly local: LocalCapacity,
    private readonly clock: Clock,
  ) {}

  /** The node to send an invocation of `functionName:version` to, or undefined to run it here. */
  elsewhere(functionName: string, version: string): NodeRecord | undefined {
    if (!this.anyLivePeer() || this.local.hasIdle(functionName, version)) return undefined;
    const key = `${functionName}:${version}`;
    const warm = this.roomiest((n) => n.load.warm?.includes(key) === true);
    if (warm !== undefined) return warm;
    return this.local.canStart() ? undefined : this.roomiest(() => true);
  }

  /** A server alone on its store (or whose peers are all dead) decides with no further work. */
  private anyLivePeer(): boolean {
    const now = this.clock.now();
    for (const n of this.fleet.peers) if (n.id !== this.fleet.id && stateOf(n, now, this.fleet.deadAfterMs) === 'alive') return true;
    return false;
  }

  /** The live peer (never this node) with the most room among those `eligible` and with any room. */
  private roomiest(eligible: (n: NodeRecord) => boolean): NodeRecord | undefined {
    const now = this.clock.now();
    let best: NodeRecord | undefined;
    for (const n of this.fleet.peers) {
      if (n.id === this.fleet.id || stateOf(n, now, this.fleet.deadAfterMs) !== 'alive' || !eligible(n)) continue;
      if (room(n) > 0 && (best === undefined || room(n) > room(best))) best = n;
    }
    return best;
  }
}

/** Invocations a node could still take: its environment limit less those running (idle ones make way). */
const room = (n: NodeRecord): number => n.capacity.maxEnvironments - n.load.inFlight;
