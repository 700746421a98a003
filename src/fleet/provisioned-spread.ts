/**
 * Provisioned concurrency spread over the fleet: a version's P provisioned environments are P across
 * the live nodes, not P on each. Every node computes the same split from the heartbeats it has read
 * (live nodes by id, one environment each in turn from a node chosen by the version's name, none past
 * a node's environment limit), so no node has to hand shares out; each publishes in its heartbeat how
 * many of each version's environments are ready on it, which is what the fleet reports as allocated.
 * When a node dies, the survivors see it dead on a heartbeat and split its share among themselves.
 */
import { stateOf, type NodeRecord } from '../domain/fleet.js';
import type { Clock } from '../lib/clock.js';

export interface FleetNodes {
  readonly id: string;
  readonly deadAfterMs: number;
  readonly peers: readonly NodeRecord[];
}

/** What the provisioned-concurrency service asks of the fleet (see functions/provisioned-concurrency.ts). */
export interface ProvisionedFleet {
  /** How many of `total` provisioned environments of `key` (`name:version`) this node keeps. */
  shareOf(key: string, total: number): number;
  /** Ready provisioned environments of `key` on the other live nodes, as their last heartbeats said. */
  readyElsewhere(key: string): number;
}

export class ProvisionedSpread implements ProvisionedFleet {
  constructor(
    private readonly fleet: FleetNodes,
    private readonly clock: Clock,
  ) {}

  shareOf(key: string, total: number): number {
    // Until this node has read the fleet, it keeps none (its first heartbeat brings the split).
    if (this.fleet.peers.length === 0) return 0;
    const live = this.live();
    if (!live.some((n) => n.id === this.fleet.id)) {
      const self = this.fleet.peers.find((n) => n.id === this.fleet.id);
      if (self !== undefined) live.push(self);
    }
    return splitProvisioned(key, total, live).get(this.fleet.id) ?? 0;
  }

  readyElsewhere(key: string): number {
    let n = 0;
    for (const node of this.live()) if (node.id !== this.fleet.id) n += node.load.provisioned?.[key] ?? 0;
    return n;
  }

  private live(): NodeRecord[] {
    const now = this.clock.now();
    return this.fleet.peers.filter((n) => stateOf(n, now, this.fleet.deadAfterMs) === 'alive');
  }
}

/** `total` environments over `nodes`: one each in turn, from a node chosen by `key`, none past a node's environment limit. */
export function splitProvisioned(key: string, total: number, nodes: readonly NodeRecord[]): Map<string, number> {
  const sorted = [...nodes].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const counts = new Map(sorted.map((n) => [n.id, 0]));
  if (sorted.length === 0) return counts;
  const first = hash(key) % sorted.length;
  let left = total;
  while (left > 0) {
    let gave = false;
    for (let i = 0; i < sorted.length && left > 0; i++) {
      const node = sorted[(first + i) % sorted.length]!;
      const held = counts.get(node.id)!;
      if (held >= node.capacity.maxEnvironments) continue;
      counts.set(node.id, held + 1);
      left--;
      gave = true;
    }
    if (!gave) break;
  }
  return counts;
}

function hash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (h * 31 + s.charCodeAt(i)) >>> 0;
  return h;
}
