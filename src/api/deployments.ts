/** Selfless's deployment routes (not an AWS API): start a gradual deployment, see its steps and history. */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import type { DeploymentService } from '../deployments/deployment-service.js';
import type { DeploymentRecord } from '../deployments/model.js';
import type { FunctionService } from '../functions/function-service.js';
import { parseFunctionRef, type Account } from '../wire/arn.js';
import { Errors } from '../wire/errors.js';
import { sendAdminError } from './admin-errors.js';

const StartSchema = z.strictObject({
  Alias: z.string().regex(/^(?!\d+$)[a-zA-Z0-9-_]{1,128}$/, 'must be an alias name'),
  Strategy: z.string().min(1),
  Version: z.string().regex(/^\d+$/).optional(),
  MaxErrorRate: z.number().min(0).max(1).optional(),
  MinInvocations: z.number().int().min(1).optional(),
  Alarms: z.array(z.string().min(1)).max(10).optional(),
});

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

export const renderDeployment = (d: DeploymentRecord) => ({
  DeploymentId: d.id,
  FunctionName: d.functionName,
  Alias: d.alias,
  Strategy: d.strategy,
  FromVersion: d.fromVersion,
  ToVersion: d.toVersion,
  Status: d.status,
  StartedAt: iso(d.startedAt),
  EndedAt: iso(d.endedAt),
  Reason: d.reason,
  MaxErrorRate: d.maxErrorRate,
  Alarms: d.alarms,
  Steps: d.steps.map((s) => ({ Weight: s.weight, StartedAt: iso(s.startedAt), Invocations: s.invocations, Errors: s.errors })),
});

export function deploymentRoutes(deployments: DeploymentService, functions: FunctionService, account: Account) {
  return (app: FastifyInstance): void => {
    app.post<{ Params: { name: string } }>('/_selfless/functions/:name/deployments', async (req, reply) =>
      handle(reply, async () => {
        const name = parseFunctionRef(account, req.params.name).name;
        await functions.get(name);
        const body = StartSchema.safeParse(req.body && Buffer.isBuffer(req.body) && req.body.length > 0 ? JSON.parse(req.body.toString('utf8')) : {});
        if (!body.success) throw Errors.invalidParameter(body.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '));
        const b = body.data;
        const d = await deployments.start({
          functionName: name,
          alias: b.Alias,
          strategy: b.Strategy,
          ...(b.Version !== undefined ? { version: b.Version } : {}),
          ...(b.MaxErrorRate !== undefined ? { maxErrorRate: b.MaxErrorRate } : {}),
          ...(b.MinInvocations !== undefined ? { minInvocations: b.MinInvocations } : {}),
          ...(b.Alarms !== undefined ? { alarms: b.Alarms } : {}),
        });
        reply.code(201);
        return renderDeployment(d);
      }),
    );
    app.get<{ Params: { name: string } }>('/_selfless/functions/:name/deployments', async (req, reply) =>
      handle(reply, async () => {
        const name = parseFunctionRef(account, req.params.name).name;
        await functions.get(name);
        return { Deployments: (await deployments.list(name)).map(renderDeployment) };
      }),
    );
    app.get<{ Params: { id: string } }>('/_selfless/deployments/:id', async (req, reply) => handle(reply, async () => renderDeployment(await deployments.get(req.params.id))));
  };
}

async function handle(reply: FastifyReply, fn: () => Promise<unknown>): Promise<unknown> {
  try {
    return await fn();
  } catch (err) {
    return sendAdminError(reply, err);
  }
}
