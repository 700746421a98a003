import type { LeaseRecord, NodeLoad, NodeRecord } from '../domain/fleet.js';

/** The fleet's nodes and leases (see domain/fleet.ts). Times are epoch milliseconds of the node's clock. */
export interface FleetRepo {
  /** Records a node as started; false, with nothing written, when a node of that id still beats (its heartbeat is at or after `aliveSince`) and has not stopped. */
  join(node: NodeRecord, aliveSince: number): Promise<boolean>;
  heartbeat(id: string, at: number, load: NodeLoad): Promise<void>;
  /** The node stopped cleanly: recorded, and every lease it held released. */
  leave(id: string, at: number): Promise<void>;
  nodes(): Promise<NodeRecord[]>;
  /** Forgets nodes stopped or silent since before `before`; how many. */
  forget(before: number): Promise<number>;
  /**
   * Takes `name` for `holder` until `expiresAt`, or renews it: true when `holder` holds it after the
   * call (it was free, had expired at `now`, or was already its own); false when another holds it.
   */
  acquire(name: string, holder: string, now: number, expiresAt: number): Promise<boolean>;
  /** Releases `name` if `holder` holds it. */
  release(name: string, holder: string): Promise<void>;
  /** Releases every lease `holder` holds (it died or stopped); how many. */
  releaseAll(holder: string): Promise<number>;
  leases(): Promise<LeaseRecord[]>;
}
