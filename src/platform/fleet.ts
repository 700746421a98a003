/**
 * This node's place in the fleet sharing its store (see fleet/fleet-member.ts): its id, heartbeat and
 * load, and the leases of the singleton tasks it may run. On SQLite there is one node; the same
 * code runs, so the leases are always this node's.
 */
import { totalmem } from 'node:os';
import { FleetConcurrency } from '../fleet/fleet-concurrency.js';
import { FleetMember } from '../fleet/fleet-member.js';
import { FleetPool } from '../fleet/fleet-pool.js';
import { Forwarding } from '../fleet/forwarding.js';
import { Placement } from '../fleet/placement.js';
import { ProvisionedSpread } from '../fleet/provisioned-spread.js';
import type { Foundation } from './foundation.js';
import type { Invocation } from './invocation.js';
import type { Lambda } from './lambda.js';

/** The singleton tasks: each runs on the one node holding its lease. */
export const FLEET_ROLES = { alarms: 'alarm-evaluation', deployments: 'gradual-deployments', schedules: 'schedules' } as const;

/** How many versions with an idle environment a node's heartbeat names at most. */
const WARM_PUBLISHED = 32;

export type Fleet = ReturnType<typeof createFleet>;

export function createFleet({ config, store, clock, logger, vault }: Foundation, { pools, gate, limiter, provisioned }: Lambda, { invoker }: Invocation) {
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
      trackPeers: shared,
    },
    () => ({
      environments: pools.environmentCount(),
      inFlight: invoker.running,
      ...(shared ? { warm: pools.warmVersions(WARM_PUBLISHED), provisioned: pools.provisionedVersions() } : {}),
    }),
  );
  // Reserved concurrency counts across the nodes; a server alone on SQLite keeps its in-memory count.
  if (shared) invoker.holdReservedAcrossFleet(new FleetConcurrency(store.fleet, member.id, config.nodeDeadAfterMs, clock, logger));
  // So does the account's unreserved pool, leased to each node in blocks; a share unused since the last beat goes back.
  if (shared) {
    const pool = new FleetPool(store.fleet, member.id, config.nodeDeadAfterMs, clock, logger, limiter, () => member.lastBeatAt);
    invoker.holdPoolAcrossFleet(pool);
    member.afterEachBeat(() => pool.trim());
    // Provisioned concurrency is P environments across the live nodes; each beat may move a dead node's part.
    provisioned.spreadAcross(new ProvisionedSpread(member, clock));
    member.afterEachBeat(async () => {
      void provisioned.refresh().catch((err: unknown) => logger.warn('could not bring provisioned concurrency to this node\'s part', { error: String(err) }));
    });
  }
  // Invocations go where a warm environment waits, or away from a node at its limit; the key that
  // marks a request forwarded by a peer derives from the master key every node of a fleet shares.
  const forwarding = shared ? new Forwarding(vault.derivedKey('fleet-forwarding')) : undefined;
  const placement = shared
    ? new Placement(member, { hasIdle: (name, version) => pools.hasIdle(name, version), canStart: () => gate.counts.live < gate.maxEnvironments || pools.anyIdle() }, clock)
    : undefined;
  return { member, shared, forwarding, placement };
}
