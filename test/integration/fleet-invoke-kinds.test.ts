/**
 * Every kind of invoke in a fleet of three nodes (127.0.0.2, .3, .4) sharing one PostgreSQL schema
 * (#12 item 4): InvokeWithResponseStream reaching a node without the function's environment is run
 * where one is warm and relayed chunk by chunk; Event invokes through every node of a function with
 * reserved concurrency 2 never run more than 2 at once, and all run; a managed-instances version is
 * invoked through every node and runs where its environment is.
 * Needs SELFLESS_TEST_POSTGRES_URL (CI sets it); without it the suite says so and is skipped.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import {
  CreateFunctionCommand,
  GetFunctionConcurrencyCommand,
  InvokeCommand,
  InvokeWithResponseStreamCommand,
  PutFunctionConcurrencyCommand,
  waitUntilFunctionActiveV2,
  type LambdaClient,
} from '@aws-sdk/client-lambda';
import { zipEntries } from '../../src/code/zip-dir.js';
import { heartbeatOf, nodesView, startFleet, type Fleet } from '../helpers/fleet-fixture.js';
import { lastHeaders } from '../helpers/fleet-load.js';
import { createManagedFunction } from '../helpers/managed-instances.js';
import { createFunction, decode, environmentsOf, ROLE, type TestPlatform } from '../helpers/platform.js';
import { until } from '../helpers/poll.js';

const DEAD_AFTER_S = 3;
const RESERVED = 2;


/** Writes a first chunk, waits at the gate (when given one), then writes the rest. */
const GATED_STREAM = `exports.handler = awslambda.streamifyResponse(async (event, responseStream) => {
  responseStream.write('first ');
  if (event.gate) {
    await fetch(event.gate + '/enter');
    await fetch(event.gate + '/wait');
  }
  responseStream.write('then the rest');
  responseStream.end();
});`;

describe('every invoke kind across three nodes', { skip: process.env['SELFLESS_TEST_POSTGRES_URL'] ? false : 'SELFLESS_TEST_POSTGRES_URL is not set' }, () => {
  let f: Fleet;
  const fleet: TestPlatform[] = [];
  const headers = lastHeaders();
  const gate = () => f.gate();

  before(async () => {
    f = await startFleet('fleet-kinds', DEAD_AFTER_S, { asyncRetryScale: 0.01 });
    for (const [i, host] of ['127.0.0.2', '127.0.0.3', '127.0.0.4'].entries()) {
      const p = await f.node(`n${i + 1}`, host);
      fleet.push(p);
      headers.watch(p.lambda);
    }
    for (const p of fleet) await f.alive(p.platform.url, 3);
  });

  after(async () => {
    await f?.stop();
  });

  const clients = (): LambdaClient[] => fleet.map((p) => p.lambda);

  /** Waits until `viewer` has read a heartbeat of `holder` naming `key` warm (two of its own beats after one that names it). */
  const seenWarm = async (viewer: TestPlatform, holder: string, key: string) => {
    const viewerId = `n${fleet.indexOf(viewer) + 1}`;
    const seen = await until(() => nodesView(viewer.platform.url), (v) => v.Nodes.find((n) => n.NodeId === holder)?.Warm.includes(key) === true, `${viewerId} sees ${key} warm on ${holder}`);
    const first = heartbeatOf(await until(() => nodesView(viewer.platform.url), (v) => heartbeatOf(v, viewerId) > heartbeatOf(seen, holder), `a heartbeat of ${viewerId}`), viewerId);
    await until(() => nodesView(viewer.platform.url), (v) => heartbeatOf(v, viewerId) > first, `another heartbeat of ${viewerId}`);
  };

  it('relays a streamed invoke from the node it reached to the node with the warm environment, chunk by chunk', async () => {
    const [n1, n2] = fleet as [TestPlatform, TestPlatform, TestPlatform];
    await n1.lambda.send(new CreateFunctionCommand({ FunctionName: 'streamer', Runtime: 'nodejs20.x', Role: ROLE, Handler: 'index.handler', Code: { ZipFile: await zipEntries({ 'index.js': GATED_STREAM }) } }));
    await waitUntilFunctionActiveV2({ client: n1.lambda, maxWaitTime: 60 }, { FunctionName: 'streamer' });
    // Warm on node 2 only; node 1 learns it from node 2's heartbeat.
    const warmup = await n2.lambda.send(new InvokeCommand({ FunctionName: 'streamer', Payload: Buffer.from('{}') }));
    assert.equal(Buffer.from(warmup.Payload ?? []).toString(), 'first then the rest');
    await seenWarm(n1, 'n2', 'streamer:$LATEST');

    const g = await gate();
    const res = await n1.lambda.send(new InvokeWithResponseStreamCommand({ FunctionName: 'streamer', Payload: Buffer.from(JSON.stringify({ gate: g.url })) }));
    assert.equal(res.StatusCode, 200);
    assert.equal(headers.of(n1.lambda)?.['x-selfless-forwarded-to'], 'n2', 'run on node 2');
    const chunks: string[] = [];
    let complete: unknown;
    for await (const e of res.EventStream!) {
      if (e.PayloadChunk) {
        chunks.push(Buffer.from(e.PayloadChunk.Payload ?? []).toString());
        if (chunks.length === 1) {
          // The first chunk came through node 1 while the handler on node 2 still waits at the gate.
          assert.equal(chunks[0], 'first ');
          await g.entered(1);
          assert.equal(g.arrived, 1);
          g.open();
        }
      }
      if (e.InvokeComplete) complete = e.InvokeComplete;
    }
    assert.equal(chunks.join(''), 'first then the rest');
    assert.deepEqual(complete, {});
    assert.equal((await environmentsOf(n1.platform.url, 'streamer')).length, 0, 'nothing of it ran on node 1');
  });

  it('runs Event invokes through every node at most 2 at once under reserved concurrency 2, and runs them all', async () => {
    const name = 'evented';
    await createFunction(fleet[0]!.lambda, name, 'actions', { Timeout: 120 });
    await fleet[1]!.lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: name, ReservedConcurrentExecutions: RESERVED }));
    for (const c of clients()) {
      await until(async () => (await c.send(new GetFunctionConcurrencyCommand({ FunctionName: name }))).ReservedConcurrentExecutions, (r) => r === RESERVED, 'every node sees the reservation');
    }
    const g = await gate();
    const payload = Buffer.from(JSON.stringify({ action: 'gate', gate: g.url }));
    const EVENTS = 9;
    for (let i = 0; i < EVENTS; i++) {
      const out = await clients()[i % 3]!.send(new InvokeCommand({ FunctionName: name, InvocationType: 'Event', Payload: payload }));
      assert.equal(out.StatusCode, 202);
    }
    await g.entered(RESERVED);
    // The others were tried while two wait at the gate, and refused: throttled events back off.
    const db = new pg.Client({ connectionString: f.schema.url });
    await db.connect();
    try {
      const throttled = async () =>
        (await db.query<{ n: number }>(`SELECT COUNT(*)::int AS n FROM async_events WHERE function_name = $1 AND (detail::json->>'throttles')::int > 0`, [name])).rows[0]!.n;
      await until(throttled, (n) => n >= EVENTS - RESERVED, 'every event beyond the two throttled at least once');
      assert.equal(g.arrived, RESERVED, `no more than ${RESERVED} reached the function while the gate was closed`);
      const slots = await db.query<{ holder: string }>('SELECT holder FROM fleet_concurrency_slots WHERE function_name = $1', [name]);
      assert.ok(slots.rows.length <= RESERVED, `slots held: ${slots.rows.map((r) => r.holder).join(', ')}`);
      g.open();
      await until(() => Promise.resolve(g.arrived), (n) => n === EVENTS, 'every event ran');
      const done = async () =>
        (await db.query<{ state: string; n: number }>('SELECT state, COUNT(*)::int AS n FROM async_events WHERE function_name = $1 GROUP BY state ORDER BY state', [name])).rows;
      // A succeeded event's row is deleted; a failed one stays, as 'failed'.
      assert.deepEqual(await until(done, (rows) => rows.length === 0, 'every event succeeded'), []);
    } finally {
      await db.end();
    }
    assert.equal(g.arrived, EVENTS, 'each event ran once');
  });

  it('invokes a managed-instances version through every node, run where its environment is', async () => {
    const [n1, n2, n3] = fleet as [TestPlatform, TestPlatform, TestPlatform];
    const version = await createManagedFunction(n1.lambda, 'managed', 'managed-node', { perEnvironmentMaxConcurrency: 4 });
    const first = await n1.lambda.send(new InvokeCommand({ FunctionName: 'managed', Qualifier: version, Payload: Buffer.from(JSON.stringify({ n: 1 })) }));
    assert.equal(first.FunctionError, undefined, Buffer.from(first.Payload ?? []).toString());
    const pid = (decode(first.Payload) as { pid: number }).pid;
    for (const viewer of [n2, n3]) await seenWarm(viewer, 'n1', `managed:${version}`);
    for (const [i, p] of [n2, n3, n1].entries()) {
      const out = await p.lambda.send(new InvokeCommand({ FunctionName: 'managed', Qualifier: version, Payload: Buffer.from(JSON.stringify({ n: i + 2 })) }));
      assert.equal(out.FunctionError, undefined, Buffer.from(out.Payload ?? []).toString());
      const body = decode(out.Payload) as { n: number; pid: number };
      assert.equal(body.n, i + 2);
      assert.equal(body.pid, pid, 'run in node 1\'s environment');
      if (p !== n1) assert.equal(headers.of(p.lambda)?.['x-selfless-forwarded-to'], 'n1');
    }
    for (const p of [n2, n3]) assert.equal((await environmentsOf(p.platform.url, 'managed')).length, 0, 'no environment started off node 1');
  });

  // Last: it adds a fourth node and kills it.
  it('ends a relayed stream with InvokeComplete naming the error when the node running it dies mid-stream', async () => {
    const n1 = fleet[0]!;
    const { server: n4, lambda: lambda4 } = await f.process('n4', '127.0.0.5');
    await f.alive(n1.platform.url, 4);
    await n1.lambda.send(new CreateFunctionCommand({ FunctionName: 'doomed', Runtime: 'nodejs20.x', Role: ROLE, Handler: 'index.handler', Timeout: 120, Code: { ZipFile: await zipEntries({ 'index.js': GATED_STREAM }) } }));
    await waitUntilFunctionActiveV2({ client: n1.lambda, maxWaitTime: 60 }, { FunctionName: 'doomed' });
    await lambda4.send(new InvokeCommand({ FunctionName: 'doomed', Payload: Buffer.from('{}') }));
    await seenWarm(n1, 'n4', 'doomed:$LATEST');

    const g = await gate();
    const res = await n1.lambda.send(new InvokeWithResponseStreamCommand({ FunctionName: 'doomed', Payload: Buffer.from(JSON.stringify({ gate: g.url })) }));
    assert.equal(headers.of(n1.lambda)?.['x-selfless-forwarded-to'], 'n4', 'run on node 4');
    const chunks: string[] = [];
    let complete: { ErrorCode?: string; ErrorDetails?: string } | undefined;
    for await (const e of res.EventStream!) {
      if (e.PayloadChunk) {
        chunks.push(Buffer.from(e.PayloadChunk.Payload ?? []).toString());
        // The handler on node 4 waits at the gate after its first chunk: node 4 dies there.
        await g.entered(1);
        n4.kill('SIGKILL');
      }
      if (e.InvokeComplete) complete = e.InvokeComplete;
    }
    assert.deepEqual(chunks, ['first ']);
    assert.equal(complete?.ErrorCode, 'ServiceException');
    const details = JSON.parse(complete?.ErrorDetails ?? '{}') as { errorType?: string; errorMessage?: string };
    assert.equal(details.errorType, 'ServiceException');
    assert.match(details.errorMessage ?? '', /sent to node n4 .* which did not answer/);
    await n4.exited;
  });
});
