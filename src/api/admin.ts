/** Selfless's own routes, beside the AWS APIs: things Lambda lacks, such as recycling environments. */
import type { FastifyInstance } from 'fastify';
import { sendAdminError } from './admin-errors.js';
import type { PoolRegistry } from '../environments/registry.js';
import type { ZygotePool } from '../environments/zygote.js';
import type { FunctionService } from '../functions/function-service.js';
import type { ManagedEnvironments } from '../functions/managed-environments.js';
import { parseFunctionRef, type Account } from '../wire/arn.js';

export function adminRoutes(functions: FunctionService, pools: PoolRegistry, zygotes: ZygotePool, managed: ManagedEnvironments, account: Account) {
  return (app: FastifyInstance): void => {
    app.get('/_selfless/health', async () => ({ status: 'ok', environments: pools.environmentCount(), preStartedRuntimes: zygotes.readyCount }));

    /** The live environments of a function: what is warm, busy or starting, and its host process. */
    app.get<{ Params: { name: string } }>('/_selfless/functions/:name/environments', async (req, reply) => {
      try {
        const { name } = parseFunctionRef(account, req.params.name);
        await functions.get(name);
        return {
          Environments: pools.environments(name).map((e) => ({
            Id: e.id,
            Version: e.spec.version,
            State: e.currentState,
            Provisioned: e.provisioned,
            Pid: e.pid,
            LogStream: e.logStream,
            RuntimeApi: e.runtimeApiAddress,
            PreStarted: e.preStarted,
            Frozen: e.isFrozen,
          })),
        };
      } catch (err) {
        return sendAdminError(reply, err);
      }
    });

    /**
     * "Turn it off and on again": every warm environment of the function stops; the next invocation starts
     * fresh, and a managed-instances version's MinExecutionEnvironments start fresh at once.
     */
    app.post<{ Params: { name: string } }>('/_selfless/functions/:name/reset', async (req, reply) => {
      try {
        const { name } = parseFunctionRef(account, req.params.name);
        await functions.get(name);
        const recycled = pools.reset(name);
        await managed.reapply(name);
        return { FunctionName: name, RecycledEnvironments: recycled };
      } catch (err) {
        return sendAdminError(reply, err);
      }
    });
  };
}
