/**
 * Three nodes on their own loopback addresses (127.0.0.2, .3, .4) sharing one PostgreSQL schema
 * (#12 item 4): every API answers through any node; reserved concurrency of 2 holds across the three
 * under load (counted at the test's gate); a node killed with SIGKILL while holding slots frees them
 * once it is seen dead; an invoke reaching a node at its environment limit runs on another under the
 * same request id, its answer (a function error included) relayed unchanged.
 * Needs SELFLESS_TEST_POSTGRES_URL (CI sets it); without it the suite says so and is skipped.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import {
  GetFunctionCommand,
  GetFunctionConcurrencyCommand,
  InvokeCommand,
  LambdaClient,
  ListFunctionsCommand,
  PutFunctionConcurrencyCommand,
} from '@aws-sdk/client-lambda';
import { heartbeatOf, nodesView, startFleet, type Fleet, type NodesView } from '../helpers/fleet-fixture.js';
import { createFunction, decode, environmentsOf, type TestPlatform } from '../helpers/platform.js';
import type { Gate } from '../helpers/gate.js';
import { gatedLoad, lastHeaders } from '../helpers/fleet-load.js';
import { until } from '../helpers/poll.js';
import type { ServerProcess } from '../helpers/server-process.js';

const DEAD_AFTER_S = 3;
const RESERVED = 2;


describe('concurrency and invokes across three nodes', { skip: process.env['SELFLESS_TEST_POSTGRES_URL'] ? false : 'SELFLESS_TEST_POSTGRES_URL is not set' }, () => {
  let f: Fleet;
  let n1: TestPlatform;
  let n2: TestPlatform;
  let n3: ServerProcess;
  let lambda3: LambdaClient;
  const headers = lastHeaders();
  const gate = () => f.gate();

  before(async () => {
    f = await startFleet('fleet-concurrency', DEAD_AFTER_S);
    // Node 1 runs two environments at most: an invoke it cannot run goes to another node.
    n1 = await f.node('n1', '127.0.0.2', { maxEnvironments: 2 });
    n2 = await f.node('n2', '127.0.0.3');
    ({ server: n3, lambda: lambda3 } = await f.process('n3', '127.0.0.4'));
    for (const client of [n1.lambda, n2.lambda, lambda3]) headers.watch(client);
    assert.deepEqual([n1.platform.url, n2.platform.url, n3.url].map((u) => new URL(u).hostname), ['127.0.0.2', '127.0.0.3', '127.0.0.4']);
    // Each node reads the others on its heartbeat: all three alive in node 1's view, and in node 3's.
    for (const url of [n1.platform.url, n3.url]) await f.alive(url, 3);
  });

  after(async () => {
    await f?.stop();
  });

  /** The slots held in the store now, by holder (what a failure shows). */
  const slotsHeld = async (name: string): Promise<string[]> => {
    const client = new pg.Client({ connectionString: f.schema.url });
    await client.connect();
    try {
      return (await client.query<{ holder: string }>('SELECT holder FROM fleet_concurrency_slots WHERE function_name = $1 ORDER BY id', [name])).rows.map((r) => r.holder);
    } finally {
      await client.end();
    }
  };

  /** Sets a reservation through `client` and waits until every live node answers with it (each caches functions). */
  const reserve = async (client: LambdaClient, name: string, alive: LambdaClient[]) => {
    await client.send(new PutFunctionConcurrencyCommand({ FunctionName: name, ReservedConcurrentExecutions: RESERVED }));
    for (const c of alive) {
      await until(async () => (await c.send(new GetFunctionConcurrencyCommand({ FunctionName: name }))).ReservedConcurrentExecutions, (r) => r === RESERVED, 'every node sees the reservation');
    }
  };

  const clients = () => [n1.lambda, n2.lambda, lambda3];
  const invoke = (client: LambdaClient, name: string, event: unknown, tail = false) =>
    client.send(new InvokeCommand({ FunctionName: name, Payload: Buffer.from(JSON.stringify(event)), ...(tail ? { LogType: 'Tail' } : {}) }));

  it('serves every API through any node: created on one, invoked and listed through each', async () => {
    await createFunction(n1.lambda, 'anywhere', 'actions');
    for (const client of [n2.lambda, lambda3, n1.lambda]) {
      const out = await invoke(client, 'anywhere', { action: 'sleep', ms: 1 });
      assert.equal(out.FunctionError, undefined);
      assert.equal((decode(out.Payload) as { slept: number }).slept, 1);
    }
    for (const client of clients()) {
      const names = (await client.send(new ListFunctionsCommand({}))).Functions!.map((f) => f.FunctionName);
      assert.ok(names.includes('anywhere'), `listed through every node: ${names.join(', ')}`);
      assert.equal((await client.send(new GetFunctionCommand({ FunctionName: 'anywhere' }))).Configuration!.FunctionName, 'anywhere');
    }
  });

  /** Starts invocations that wait at `g` through the given clients; resolves once `running` are at the gate and the rest have failed. */
  const load = (name: string, g: Gate, through: LambdaClient[], running: number) =>
    gatedLoad({ name, gate: g, through, running, reason: 'ReservedFunctionConcurrentInvocationLimitExceeded', seen: () => slotsHeld(name) });

  it('holds reserved concurrency of 2 across three nodes under load', async () => {
    await createFunction(n1.lambda, 'held', 'actions', { Timeout: 120 });
    // Set through node 2, seen by node 1, which cached the function when it created it.
    await reserve(n2.lambda, 'held', clients());
    const twelve = Array.from({ length: 12 }, (_, i) => clients()[i % 3]!);
    const finish = await load('held', await gate(), twelve, RESERVED);
    await finish();
    // Released: two more run, a third is refused.
    const again = await load('held', await gate(), [n2.lambda, lambda3, n1.lambda], RESERVED);
    await again();
  });

  it('frees the slots of a node killed while holding them, once it is seen dead', async () => {
    await createFunction(n1.lambda, 'orphaned', 'actions', { Timeout: 120 });
    await reserve(n1.lambda, 'orphaned', clients());
    const g = await gate();
    // Both through node 3, where nothing of this function is warm anywhere: both run there.
    const held = [invoke(lambda3, 'orphaned', { action: 'gate', gate: g.url }), invoke(lambda3, 'orphaned', { action: 'gate', gate: g.url })];
    held.forEach((p) => p.catch(() => undefined));
    await g.entered(2);
    assert.equal((await environmentsOf(n3.url, 'orphaned')).length, 2, 'both run on node 3');
    await assert.rejects(invoke(n1.lambda, 'orphaned', { action: 'sleep', ms: 1 }), (err: { name: string; Reason?: string }) => {
      assert.equal(err.name, 'TooManyRequestsException');
      assert.equal(err.Reason, 'ReservedFunctionConcurrentInvocationLimitExceeded');
      return true;
    });

    // A function warm only on node 3: node 1 sends its invocation there, where it is running when node 3 dies.
    await createFunction(n1.lambda, 'victim', 'actions', { Timeout: 120 });
    await invoke(lambda3, 'victim', { action: 'sleep', ms: 1 });
    const seenAt = (await until(() => nodesView(n1.platform.url), (v) => v.Nodes.find((n) => n.NodeId === 'n3')?.Warm.includes('victim:$LATEST') === true, 'node 3 says it has victim warm')).Nodes;
    // Two of node 1's heartbeats later, node 1 has read that (it reads the nodes after each beat).
    const beatOf = (v: NodesView) => heartbeatOf(v, 'n1');
    const first = beatOf(await until(() => nodesView(n1.platform.url), (v) => beatOf(v) > Date.parse(seenAt.find((n) => n.NodeId === 'n3')!.LastHeartbeat), 'a heartbeat of node 1'));
    await until(() => nodesView(n1.platform.url), (v) => beatOf(v) > first, 'another heartbeat of node 1');
    const cut = invoke(n1.lambda, 'victim', { action: 'gate', gate: g.url });
    cut.catch(() => undefined);
    await g.entered(3);
    assert.equal(g.arrived, 3);

    n3.kill('SIGKILL');
    await assert.rejects(cut, (err: { name: string; message: string; $metadata?: { httpStatusCode?: number } }) => {
      assert.equal(err.name, 'ServiceException');
      assert.equal(err.$metadata?.httpStatusCode, 500);
      assert.match(err.message, /sent to node n3 .* which did not answer/);
      return true;
    });
    await n3.exited;
    await until(() => nodesView(n1.platform.url), (v) => v.Nodes.find((n) => n.NodeId === 'n3')?.State === 'dead', 'node 3 seen dead');
    await until(
      () => invoke(n1.lambda, 'orphaned', { action: 'sleep', ms: 1 }).then((o) => (o.FunctionError === undefined ? 'ran' : 'failed'), (err: Error) => err.name),
      (v) => v === 'ran',
      'an invocation runs once node 3 is seen dead',
    );
    const finish = await load('orphaned', await gate(), [n1.lambda, n2.lambda, n2.lambda], RESERVED);
    await finish();
  });

  it('sends an invoke that node 1 cannot run to another node, same request id, answer unchanged', async () => {
    await createFunction(n1.lambda, 'blocker', 'actions', { Timeout: 120 });
    await createFunction(n1.lambda, 'elsewhere', 'actions');
    const g = await gate();
    // Node 1's two environments are busy: it can start none.
    const blocking = [invoke(n1.lambda, 'blocker', { action: 'gate', gate: g.url }), invoke(n1.lambda, 'blocker', { action: 'gate', gate: g.url })];
    await g.entered(2);
    assert.equal((await environmentsOf(n1.platform.url, 'blocker')).length, 2, 'the blockers run on node 1');

    const failed = await invoke(n1.lambda, 'elsewhere', { action: 'throw', message: 'relayed as it was' }, true);
    assert.equal(failed.$metadata.httpStatusCode, 200);
    assert.equal(failed.FunctionError, 'Unhandled');
    assert.deepEqual(decode(failed.Payload), { errorType: 'TypeError', errorMessage: 'relayed as it was', trace: (decode(failed.Payload) as { trace: string[] }).trace });
    const requestId = failed.$metadata.requestId!;
    const tail = Buffer.from(failed.LogResult!, 'base64').toString('utf8');
    assert.match(tail, new RegExp(`REPORT RequestId: ${requestId}`), 'the REPORT line names the request id the client got');
    assert.equal(headers.of(n1.lambda)?.['x-selfless-forwarded-to'], 'n2', 'run on node 2 (node 3 is dead)');
    assert.equal(headers.of(n1.lambda)?.['x-amzn-requestid'], requestId);
    assert.equal((await environmentsOf(n1.platform.url, 'elsewhere')).length, 0, 'nothing of it ran on node 1');
    assert.ok((await environmentsOf(n2.platform.url, 'elsewhere')).length >= 1, 'it ran on node 2');

    const ok = await invoke(n1.lambda, 'elsewhere', { action: 'sleep', ms: 2 });
    assert.equal(ok.FunctionError, undefined);
    assert.equal((decode(ok.Payload) as { slept: number }).slept, 2);
    assert.equal(headers.of(n1.lambda)?.['x-selfless-forwarded-to'], 'n2');

    g.open();
    for (const b of await Promise.all(blocking)) assert.equal(b.FunctionError, undefined);
  });
});
