/** The nodes of a fleet sharing one store, and the leases by which one node at a time runs a singleton task. */
import { z } from 'zod';

export const NodeRecordSchema = z.strictObject({
  id: z.string(),
  /** Where the other nodes reach this one (`--advertise`). */
  advertise: z.string(),
  /** Epoch milliseconds. */
  startedAt: z.number().int(),
  heartbeatAt: z.number().int(),
  /** Set when the node stopped cleanly (it then holds nothing). */
  stoppedAt: z.number().int().optional(),
  capacity: z.strictObject({ memoryMb: z.number().int(), maxEnvironments: z.number().int() }),
  load: z.strictObject({
    environments: z.number().int(),
    inFlight: z.number().int(),
    /** Versions with an idle environment on the node (`name:version`, a few): invocations of them are sent there. */
    warm: z.array(z.string()).optional(),
    /** Ready provisioned environments on the node, by `name:version`: the fleet's allocated count adds them up. */
    provisioned: z.record(z.string(), z.number().int()).optional(),
  }),
});

export type NodeRecord = z.infer<typeof NodeRecordSchema>;
export type NodeLoad = NodeRecord['load'];

export interface LeaseRecord {
  /** What is held: `alarms`, say. */
  name: string;
  holder: string;
  /** Epoch milliseconds: past it, any node may take the lease. */
  expiresAt: number;
}

/** One invocation of a function with reserved concurrency running on `holder`, counted across the fleet. */
export interface SlotRecord {
  id: number;
  functionName: string;
  holder: string;
  takenAt: number;
}

/** A node's share of the account's unreserved concurrency, leased in blocks (counted while it beats). */
export interface PoolShareRecord {
  holder: string;
  slots: number;
  updatedAt: number;
}

export type NodeState = 'alive' | 'dead' | 'stopped';

/** A node is dead once its last heartbeat is older than `deadAfterMs`, unless it said it stopped. */
export function stateOf(node: NodeRecord, now: number, deadAfterMs: number): NodeState {
  if (node.stoppedAt !== undefined) return 'stopped';
  return now - node.heartbeatAt > deadAfterMs ? 'dead' : 'alive';
}
