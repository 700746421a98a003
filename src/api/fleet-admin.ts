/** `/_selfless/nodes`: the fleet as this node sees it (nodes with state, heartbeat and load; who holds which lease). */
import type { FastifyInstance } from 'fastify';
import type { FleetMember } from '../fleet/fleet-member.js';

export function fleetAdminRoutes(member: FleetMember) {
  return (app: FastifyInstance): void => {
    app.get('/_selfless/nodes', async () => {
      const v = await member.view();
      return {
        Self: v.self,
        DeadAfterSeconds: v.deadAfterMs / 1000,
        Nodes: v.nodes.map((n) => ({
          NodeId: n.id,
          State: n.state,
          Advertise: n.advertise,
          StartedAt: new Date(n.startedAt).toISOString(),
          LastHeartbeat: new Date(n.heartbeatAt).toISOString(),
          Environments: n.load.environments,
          InFlight: n.load.inFlight,
          Warm: n.load.warm ?? [],
          Provisioned: n.load.provisioned ?? {},
          MaxEnvironments: n.capacity.maxEnvironments,
          MemoryMb: n.capacity.memoryMb,
          Leases: v.leases.filter((l) => l.holder === n.id).map((l) => l.name),
        })),
        Leases: v.leases.map((l) => ({ Name: l.name, Holder: l.holder, ExpiresAt: new Date(l.expiresAt).toISOString() })),
      };
    });
  };
}
