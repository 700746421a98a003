/**
 * The account's concurrency limit across three nodes on 127.0.0.2, .3 and .4 sharing one PostgreSQL
 * schema (#12 item 4): with --concurrency-limit 4 on every node, no more than 4 invocations of
 * functions without a reservation run at once fleet-wide (counted at the test's gate), the rest get
 * 429 ConcurrentInvocationLimitExceeded; once the others have given back their unused shares, one
 * node alone runs 4; a node killed with SIGKILL while holding part of the pool gives it back once
 * it is seen dead. Needs SELFLESS_TEST_POSTGRES_URL (CI sets it); without it the suite is skipped.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { nodesView, startFleet, type Fleet } from '../helpers/fleet-fixture.js';
import type { Gate } from '../helpers/gate.js';
import { createFunction, environmentsOf, type TestPlatform } from '../helpers/platform.js';
import { gatedLoad } from '../helpers/fleet-load.js';
import { until } from '../helpers/poll.js';
import type { ServerProcess } from '../helpers/server-process.js';

const DEAD_AFTER_S = 3;
const LIMIT = 4;


describe('the account concurrency limit across three nodes', { skip: process.env['SELFLESS_TEST_POSTGRES_URL'] ? false : 'SELFLESS_TEST_POSTGRES_URL is not set' }, () => {
  let f: Fleet;
  let n1: TestPlatform;
  let n2: TestPlatform;
  let n3: ServerProcess;
  let lambda3: LambdaClient;
  const gate = () => f.gate();

  before(async () => {
    f = await startFleet('fleet-pool', DEAD_AFTER_S, { concurrencyLimit: LIMIT });
    n1 = await f.node('n1', '127.0.0.2');
    n2 = await f.node('n2', '127.0.0.3');
    ({ server: n3, lambda: lambda3 } = await f.process('n3', '127.0.0.4', ['--concurrency-limit', String(LIMIT)]));
    await f.alive(n1.platform.url, 3);
  });

  after(async () => {
    await f?.stop();
  });

  /** Each node's share of the pool in the store now (what a failure shows). */
  const shares = async (): Promise<Record<string, number>> => {
    const client = new pg.Client({ connectionString: f.schema.url });
    await client.connect();
    try {
      const rows = (await client.query<{ holder: string; slots: number }>('SELECT holder, slots FROM fleet_pool_shares ORDER BY holder')).rows;
      return Object.fromEntries(rows.map((r) => [r.holder, Number(r.slots)]));
    } finally {
      await client.end();
    }
  };
  /** Waits until the nodes other than `except` hold no share (each gives back what it has not used since its last beat). */
  const othersGaveBack = (except: string[]) =>
    until(shares, (s) => Object.entries(s).every(([holder, n]) => except.includes(holder) || n === 0), `nodes other than ${except.join(', ')} gave their shares back`);

  const invoke = (client: LambdaClient, name: string, event: unknown) => client.send(new InvokeCommand({ FunctionName: name, Payload: Buffer.from(JSON.stringify(event)) }));

  /** Starts invocations that wait at `g`; resolves once `running` are at the gate and the rest were refused with Lambda's 429. */
  const load = (name: string, g: Gate, through: LambdaClient[], running: number) =>
    gatedLoad({ name, gate: g, through, running, reason: 'ConcurrentInvocationLimitExceeded', seen: shares });

  it('runs no more than the account limit at once across three nodes; one node alone then runs the whole limit', async () => {
    await createFunction(n1.lambda, 'pooled', 'actions', { Timeout: 120 });
    await createFunction(n1.lambda, 'alone', 'actions', { Timeout: 120 });
    const twelve = Array.from({ length: 12 }, (_, i) => [n1.lambda, n2.lambda, lambda3][i % 3]!);
    const finish = await load('pooled', await gate(), twelve, LIMIT);
    const held = await shares();
    assert.equal(Object.values(held).reduce((a, b) => a + b, 0), LIMIT, `the shares in the store add up to the limit: ${JSON.stringify(held)}`);
    await finish();

    // Nodes 2 and 3 give back what they no longer use: node 1 alone takes the whole pool.
    await othersGaveBack(['n1']);
    const solo = await load('alone', await gate(), Array.from({ length: LIMIT + 2 }, () => n1.lambda), LIMIT);
    assert.equal((await environmentsOf(n1.platform.url, 'alone')).length, LIMIT, 'all four run on node 1');
    assert.equal((await shares())['n1'], LIMIT);
    await solo();
  });

  it('returns the share of a node killed while holding it, once it is seen dead', async () => {
    await createFunction(n1.lambda, 'orphaned', 'actions', { Timeout: 120 });
    await othersGaveBack(['n3']);
    const killed = await gate();
    // Two through node 3, where nothing of this function is warm anywhere: both run there.
    const doomed = [invoke(lambda3, 'orphaned', { action: 'gate', gate: killed.url }), invoke(lambda3, 'orphaned', { action: 'gate', gate: killed.url })];
    doomed.forEach((p) => p.catch(() => undefined));
    await killed.entered(2);
    assert.equal((await environmentsOf(n3.url, 'orphaned')).length, 2, 'both run on node 3');
    assert.equal((await shares())['n3'], 2, 'node 3 holds two of the pool');

    // The two left run through node 1 (a function warm nowhere); a third is refused.
    await createFunction(n1.lambda, 'survivor', 'actions', { Timeout: 120 });
    const rest = await load('survivor', await gate(), [n1.lambda, n1.lambda, n1.lambda], LIMIT - 2);

    n3.kill('SIGKILL');
    await n3.exited;
    await until(() => nodesView(n1.platform.url), (v) => v.Nodes.find((n) => n.NodeId === 'n3')?.State === 'dead', 'node 3 seen dead');
    // Node 1 still runs two: the two node 3 held are the ones that now run, and no more.
    await createFunction(n1.lambda, 'after', 'actions', { Timeout: 120 });
    const again = await load('after', await gate(), [n1.lambda, n2.lambda, n2.lambda, n1.lambda], 2);
    assert.equal((await shares())['n3'], undefined, 'the dead node\'s share is gone from the store');
    await again();
    await rest();
  });
});
