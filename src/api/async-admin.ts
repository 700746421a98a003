/** Selfless's own routes for asynchronous invocation: failed events kept for replay, and replaying them. */
import type { FastifyInstance } from 'fastify';
import { sendAdminError } from './admin-errors.js';
import { z } from 'zod';
import type { AsyncInvocations } from '../async/async-invocations.js';
import type { AsyncEvent } from '../async/model.js';
import { parseFunctionRef, type Account } from '../wire/arn.js';
import { Errors } from '../wire/errors.js';

const ReplayBody = z.union([z.strictObject({ RequestId: z.string().min(1) }), z.strictObject({ All: z.literal(true) })]);

export function asyncAdminRoutes(events: AsyncInvocations, account: Account) {
  return (app: FastifyInstance): void => {
    /** Failed (retries exhausted) and expired events of a function, most recent first. */
    app.get<{ Params: { name: string } }>('/_selfless/functions/:name/async-events', async (req, reply) => {
      try {
        const { name } = parseFunctionRef(account, req.params.name);
        return { Events: (await events.failed(name)).map(render) };
      } catch (err) {
        return sendAdminError(reply, err);
      }
    });

    /** Runs failed events again: `{"RequestId": "..."}` or `{"All": true}`. */
    app.post<{ Params: { name: string } }>('/_selfless/functions/:name/async-events/replay', async (req, reply) => {
      try {
        const { name } = parseFunctionRef(account, req.params.name);
        const body = parseBody(req.body);
        const replayed = await events.replay(name, 'All' in body ? 'all' : { requestId: body.RequestId });
        return { FunctionName: name, Replayed: replayed };
      } catch (err) {
        return sendAdminError(reply, err);
      }
    });
  };
}

function parseBody(raw: unknown): z.infer<typeof ReplayBody> {
  let json: unknown;
  try {
    json = JSON.parse(Buffer.isBuffer(raw) ? raw.toString('utf8') : '');
  } catch {
    throw Errors.invalidRequestContent('The body must be JSON: {"RequestId": "..."} or {"All": true}.');
  }
  const parsed = ReplayBody.safeParse(json);
  if (!parsed.success) throw Errors.invalidParameter('Give either {"RequestId": "..."} or {"All": true}.');
  return parsed.data;
}

function render(e: AsyncEvent) {
  return {
    RequestId: e.id,
    State: e.state,
    Condition: e.detail.condition,
    Attempts: e.attempts,
    AcceptedAt: new Date(e.acceptedAt).toISOString(),
    FinishedAt: e.finishedAt === null ? undefined : new Date(e.finishedAt).toISOString(),
    ErrorType: e.detail.lastResponse?.errorType,
    Error: e.detail.lastResponse ? undefined : e.detail.lastError,
  };
}
