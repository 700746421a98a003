/**
 * This node's place in the fleet sharing its store (see fleet/fleet-member.ts): its id, heartbeat and
 * load, and the leases of the singleton tasks it may run. On SQLite there is one node; the same
 * code runs, so the leases are always this node's.
 */
import { totalmem } from 'node:os';
import { FleetMember } from '../fleet/fleet-member.js';
import type { Foundation } from './foundation.js';
import type { Invocation } from './invocation.js';
import type { Lambda } from './lambda.js';

/** The singleton tasks: each runs on the one node holding its lease. */
export const FLEET_ROLES = { alarms: 'alarm-evaluation', deployments: 'gradual-deployments', schedules: 'schedules' } as const;

export type Fleet = ReturnType<typeof createFleet>;

export function createFleet({ config, store, clock, logger }: Foundation, { pools, gate }: Lambda, { invoker }: Invocation) {
  // Only one server opens a SQLite store: it is the whole fleet.
  const shared = config.store !== 'sqlite';
  const member = new FleetMember(
    store.fleet,
    clock,
    logger,
    {
      id: config.nodeId,
      deadAfterMs: config.nodeDeadAfterMs,
      capacity: { memoryMb: Math.floor(totalmem() / 1_048_576), maxEnvironments: gate.maxEnvironments },
      roles: Object.values(FLEET_ROLES),
      exclusive: shared,
    },
    () => ({ environments: pools.environmentCount(), inFlight: invoker.running }),
  );
  return { member, shared };
}
