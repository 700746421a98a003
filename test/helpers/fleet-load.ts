/**
 * What the fleet's concurrency tests share: a load of gated invocations spread over nodes, checked to let
 * exactly `running` through and answer the rest with Lambda's 429, and a record of each client's last
 * response headers (which node ran an invocation, and under which request id).
 */
import assert from 'node:assert/strict';
import { InvokeCommand, type InvokeCommandOutput, type LambdaClient } from '@aws-sdk/client-lambda';
import type { Gate } from './gate.js';
import { until } from './poll.js';

export interface GatedLoad {
  name: string;
  gate: Gate;
  /** One client per invocation, in order: the nodes they reach. */
  through: LambdaClient[];
  /** How many may run at once. */
  running: number;
  /** The 429's Reason for the others. */
  reason: 'ReservedFunctionConcurrentInvocationLimitExceeded' | 'ConcurrentInvocationLimitExceeded';
  /** What the store holds meanwhile, shown if the answers do not come. */
  seen: () => Promise<unknown>;
}

/** Starts the load and checks its refusals; the function returned opens the gate and checks that the rest ran. */
export async function gatedLoad({ name, gate, through, running, reason, seen }: GatedLoad): Promise<() => Promise<void>> {
  const settled: PromiseSettledResult<InvokeCommandOutput>[] = [];
  const payload = Buffer.from(JSON.stringify({ action: 'gate', gate: gate.url }));
  const all = through.map((client) =>
    client.send(new InvokeCommand({ FunctionName: name, Payload: payload })).then(
      (value) => void settled.push({ status: 'fulfilled', value }),
      (reason: unknown) => void settled.push({ status: 'rejected', reason }),
    ),
  );
  await gate.entered(running);
  await until(async () => ({ answered: settled.length, seen: await seen() }), (v) => v.answered === through.length - running, `all but ${running} invocations answered`);
  assert.equal(gate.arrived, running, `exactly ${running} reached the function`);
  for (const r of settled) {
    assert.equal(r.status, 'rejected');
    const err = (r as PromiseRejectedResult).reason as { name: string; Reason?: string; $metadata?: { httpStatusCode?: number } };
    assert.equal(err.name, 'TooManyRequestsException', String(err));
    assert.equal(err.Reason, reason);
    assert.equal(err.$metadata?.httpStatusCode, 429);
  }
  return async () => {
    gate.open();
    await Promise.all(all);
    const ran = settled.slice(through.length - running);
    assert.equal(ran.length, running);
    for (const r of ran) assert.equal(r.status, 'fulfilled');
  };
}

/** Each client's last raw response headers, once `watch` has been called on it. */
export function lastHeaders() {
  const byClient = new Map<LambdaClient, Record<string, string>>();
  return {
    of: (client: LambdaClient) => byClient.get(client),
    watch: (client: LambdaClient) =>
      client.middlewareStack.add(
        (next) => async (args) => {
          const out = await next(args);
          byClient.set(client, (out.response as { headers: Record<string, string> }).headers);
          return out;
        },
        { step: 'deserialize', name: 'lastHeaders' },
      ),
  };
}
