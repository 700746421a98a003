import type { LeaseRecord, NodeLoad, NodeRecord, PoolShareRecord, SlotRecord } from '../domain/fleet.js';

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
  /**
   * Takes one of `limit` concurrency slots of `functionName` for `holder`, in one round trip that
   * counts the slots of nodes still beating only: the new slot's id, or undefined when `limit` are
   * held. The slots of other nodes silent since before `aliveSince` are deleted first. A node that
   * stopped cleanly keeps its slots while its last invocations drain; they lapse with its heartbeat.
   */
  takeSlot(functionName: string, holder: string, limit: number, aliveSince: number, at: number): Promise<number | undefined>;
  releaseSlot(id: number): Promise<void>;
  /** Deletes every slot `holder` holds (it joined again under its id); how many. */
  releaseSlots(holder: string): Promise<number>;
  /** The slots held now, oldest first. */
  slots(): Promise<SlotRecord[]>;
  /**
   * Sets `holder`'s share of the account's unreserved concurrency to `want`, or to what the shares
   * of nodes still beating (heartbeat at or after `aliveSince`) leave of `limit` if less, in one round
   * trip: the share granted (never below 0). The shares of other nodes silent since before
   * `aliveSince` are deleted first.
   */
  resizePoolShare(holder: string, want: number, limit: number, aliveSince: number, at: number): Promise<number>;
  /** Deletes `holder`'s share (it joined again under its id). */
  releasePoolShare(holder: string): Promise<void>;
  /** The shares held now, by holder. */
  poolShares(): Promise<PoolShareRecord[]>;
}
