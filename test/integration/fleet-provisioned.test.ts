/**
 * Provisioned concurrency across three nodes on 127.0.0.2, .3 and .4 sharing one PostgreSQL schema
 * (#12 item 4): a version's 3 provisioned environments are 3 across the fleet (one per node, counted
 * through each node's environments admin API), reported READY with 3 allocated through any node;
 * when a node holding some is killed with SIGKILL, the survivors bring the total back to 3.
 * Needs SELFLESS_TEST_POSTGRES_URL (CI sets it); without it the suite is skipped.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { GetProvisionedConcurrencyConfigCommand, InvokeCommand, LambdaClient, PublishVersionCommand, PutProvisionedConcurrencyConfigCommand } from '@aws-sdk/client-lambda';
import { heartbeatOf, nodesView, startFleet, type Fleet, type NodesView } from '../helpers/fleet-fixture.js';
import { createFunction, decode, environmentsOf, type TestPlatform } from '../helpers/platform.js';
import { lastHeaders } from '../helpers/fleet-load.js';
import { until } from '../helpers/poll.js';
import type { ServerProcess } from '../helpers/server-process.js';

const DEAD_AFTER_S = 3;
const PROVISIONED = 3;


describe('provisioned concurrency across three nodes', { skip: process.env['SELFLESS_TEST_POSTGRES_URL'] ? false : 'SELFLESS_TEST_POSTGRES_URL is not set' }, () => {
  let f: Fleet;
  let n1: TestPlatform;
  let n2: TestPlatform;
  let n3: ServerProcess;
  let lambda3: LambdaClient;
  const headers = lastHeaders();

  before(async () => {
    f = await startFleet('fleet-provisioned', DEAD_AFTER_S);
    n1 = await f.node('n1', '127.0.0.2');
    n2 = await f.node('n2', '127.0.0.3');
    ({ server: n3, lambda: lambda3 } = await f.process('n3', '127.0.0.4'));
    for (const client of [n1.lambda, n2.lambda, lambda3]) headers.watch(client);
    await f.alive(n1.platform.url, 3);
  });

  after(async () => {
    await f?.stop();
  });

  /** Provisioned environments of version 1 of `name` on a node: [ready, all]. */
  const provisionedOn = async (url: string, name: string): Promise<[number, number]> => {
    const envs = (await environmentsOf(url, name)).filter((e) => e.Provisioned && e.Version === '1' && e.State !== 'dead');
    return [envs.filter((e) => e.State !== 'starting').length, envs.length];
  };
  const counts = async (urls: string[], name = 'kept') => Object.fromEntries(await Promise.all(urls.map(async (u) => [new URL(u).hostname, await provisionedOn(u, name)] as const)));
  const total = (c: Record<string, [number, number]>, i: 0 | 1) => Object.values(c).reduce((n, v) => n + v[i], 0);
  const config = (client: LambdaClient) => client.send(new GetProvisionedConcurrencyConfigCommand({ FunctionName: 'kept', Qualifier: '1' }));

  it('sends an invocation of the version to the node that holds its one provisioned environment', async () => {
    await createFunction(n1.lambda, 'single', 'actions');
    await n1.lambda.send(new PublishVersionCommand({ FunctionName: 'single' }));
    await n1.lambda.send(new PutProvisionedConcurrencyConfigCommand({ FunctionName: 'single', Qualifier: '1', ProvisionedConcurrentExecutions: 1 }));
    const nodesByHost: [string, string, LambdaClient][] = [['127.0.0.2', 'n1', n1.lambda], ['127.0.0.3', 'n2', n2.lambda], ['127.0.0.4', 'n3', lambda3]];
    const placed = await until(() => counts([n1.platform.url, n2.platform.url, n3.url], 'single'), (c) => total(c, 0) === 1, 'one provisioned environment in the fleet');
    assert.equal(total(placed, 1), 1, JSON.stringify(placed));
    const [, holder] = nodesByHost.find(([host]) => placed[host]![0] === 1)!;
    const [, from, client] = nodesByHost.find(([, id]) => id !== holder && id !== 'n3') ?? nodesByHost.find(([, id]) => id !== holder)!;
    const fromUrl = from === 'n1' ? n1.platform.url : from === 'n2' ? n2.platform.url : n3.url;
    // The holder names it warm in its heartbeat; two of the sender's heartbeats later, the sender has read that.
    const seen = await until(() => nodesView(fromUrl), (v) => v.Nodes.find((n) => n.NodeId === holder)?.Warm.includes('single:1') === true, 'the holder says it has single:1 warm');
    const beatOf = (v: NodesView) => heartbeatOf(v, from);
    const first = beatOf(await until(() => nodesView(fromUrl), (v) => beatOf(v) > Date.parse(seen.Nodes.find((n) => n.NodeId === holder)!.LastHeartbeat), 'a heartbeat of the sender'));
    await until(() => nodesView(fromUrl), (v) => beatOf(v) > first, 'another heartbeat of the sender');

    const ran = await client.send(new InvokeCommand({ FunctionName: 'single', Qualifier: '1', Payload: Buffer.from(JSON.stringify({ action: 'sleep', ms: 3 })) }));
    assert.equal(ran.FunctionError, undefined);
    assert.equal((decode(ran.Payload) as { slept: number }).slept, 3);
    assert.equal(headers.of(client)?.['x-selfless-forwarded-to'], holder, `sent from ${from} to the holder`);
    assert.equal((await environmentsOf(fromUrl, 'single')).length, 0, 'nothing of it started on the sender');
  });

  it('keeps 3 provisioned environments across the fleet, READY; a killed node\'s part moves to the survivors', async () => {
    await createFunction(n1.lambda, 'kept', 'actions');
    const { Version } = await n1.lambda.send(new PublishVersionCommand({ FunctionName: 'kept' }));
    assert.equal(Version, '1');
    await n2.lambda.send(new PutProvisionedConcurrencyConfigCommand({ FunctionName: 'kept', Qualifier: '1', ProvisionedConcurrentExecutions: PROVISIONED }));

    const urls = [n1.platform.url, n2.platform.url, n3.url];
    const spread = await until(() => counts(urls), (c) => total(c, 0) === PROVISIONED, 'three provisioned environments ready across the fleet');
    assert.equal(total(spread, 1), PROVISIONED, `no more than three started: ${JSON.stringify(spread)}`);
    assert.deepEqual(Object.values(spread).map((v) => v[0]), [1, 1, 1], 'one on each node');
    for (const client of [n1.lambda, n2.lambda, lambda3]) {
      const c = await until(() => config(client), (o) => o.Status === 'READY', 'READY through every node');
      assert.equal(c.RequestedProvisionedConcurrentExecutions, PROVISIONED);
      assert.equal(c.AllocatedProvisionedConcurrentExecutions, PROVISIONED);
      assert.equal(c.AvailableProvisionedConcurrentExecutions, PROVISIONED);
    }
    // The fleet's view says which node holds how many.
    const published = await until(() => nodesView(n1.platform.url), (v) => v.Nodes.every((n) => n.Provisioned['kept:1'] === 1), 'each node publishes its one');
    assert.equal(published.Nodes.length, 3);

    const ran = await n1.lambda.send(new InvokeCommand({ FunctionName: 'kept', Qualifier: '1', Payload: Buffer.from(JSON.stringify({ action: 'sleep', ms: 1 })) }));
    assert.equal(ran.FunctionError, undefined);
    assert.equal((decode(ran.Payload) as { slept: number }).slept, 1);

    n3.kill('SIGKILL');
    await n3.exited;
    await until(() => nodesView(n1.platform.url), (v) => v.Nodes.find((n) => n.NodeId === 'n3')?.State === 'dead', 'node 3 seen dead');
    const survivors = [n1.platform.url, n2.platform.url];
    const moved = await until(() => counts(survivors), (c) => total(c, 0) === PROVISIONED, 'the survivors bring the total back to three');
    assert.equal(total(moved, 1), PROVISIONED, `no more than three: ${JSON.stringify(moved)}`);
    assert.deepEqual(Object.values(moved).map((v) => v[0]).sort(), [1, 2], 'split two and one');
    for (const client of [n1.lambda, n2.lambda]) {
      const c = await until(() => config(client), (o) => o.Status === 'READY' && o.AllocatedProvisionedConcurrentExecutions === PROVISIONED, 'READY again with three allocated');
      assert.equal(c.RequestedProvisionedConcurrentExecutions, PROVISIONED);
    }
  });
});
