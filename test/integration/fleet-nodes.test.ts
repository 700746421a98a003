/**
 * Nodes sharing one PostgreSQL store (#12 item 2): each joins under its id with a heartbeat; a second
 * live node of one id is refused; `selfless nodes` lists them with state and leases; a node killed
 * with SIGKILL is seen dead once silent past --node-dead-after, and the lease it held (alarm
 * evaluation) moves to a live node, and a gradual deployment it was stepping is finished by the node
 * that takes its lease; a node that stops cleanly lets go of its leases at once.
 * Needs SELFLESS_TEST_POSTGRES_URL (CI sets it); without it the suite says so and is skipped.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { GetAliasCommand, LambdaClient, UpdateFunctionConfigurationCommand, waitUntilFunctionUpdatedV2 } from '@aws-sdk/client-lambda';
import { CREDENTIALS, createFunction, startTestPlatform, type TestPlatform } from '../helpers/platform.js';
import { run, SELFLESS_BIN } from '../helpers/run.js';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { testSchema, type TestSchema } from '../helpers/test-store.js';

const DEAD_AFTER_S = 3;
const DEADLINE_MS = 60_000;
const LEASE = 'alarm-evaluation';
const DEPLOYMENTS = 'gradual-deployments';
/** Deployment minutes pass in 2 s on every node. */
const TIME_SCALE = 30;

interface NodesView {
  Self: string;
  Nodes: { NodeId: string; State: string; Advertise: string; Leases: string[]; MaxEnvironments: number }[];
  Leases: { Name: string; Holder: string }[];
}

const view = async (url: string): Promise<NodesView> => (await (await fetch(`${url}/_selfless/nodes`)).json()) as NodesView;

async function until(url: string, ok: (v: NodesView) => boolean, what: string): Promise<NodesView> {
  const end = Date.now() + DEADLINE_MS;
  let last: NodesView | undefined;
  while (Date.now() < end) {
    last = await view(url);
    if (ok(last)) return last;
    await new Promise((r) => setTimeout(r, 200));
  }
  assert.fail(`${what}; last seen: ${JSON.stringify(last)}`);
}

const holder = (v: NodesView) => v.Leases.find((l) => l.Name === LEASE)?.Holder;
const stateOf = (v: NodesView, id: string) => v.Nodes.find((n) => n.NodeId === id)?.State;

describe('nodes sharing a PostgreSQL store', { skip: process.env['SELFLESS_TEST_POSTGRES_URL'] ? false : 'SELFLESS_TEST_POSTGRES_URL is not set' }, () => {
  let schema: TestSchema;
  let c: ServerProcess | undefined;
  const platforms: TestPlatform[] = [];
  after(async () => {
    c?.kill();
    for (const p of platforms) await p.stop().catch(() => undefined);
    await schema?.drop();
  });

  let masterKeyFile: string;
  const node = async (nodeId: string) => {
    // Every node of a fleet is given the same master key: the first one's.
    const p = await startTestPlatform({ store: schema.url, nodeId, nodeDeadAfterMs: DEAD_AFTER_S * 1000, prestartedRuntimes: 0, masterKeyFile, timeScale: TIME_SCALE });
    platforms.push(p);
    return p;
  };

  it('joins, refuses a second live node of one id, moves a dead node’s lease, frees a stopped node’s at once', async () => {
    schema = await testSchema();
    const cDir = mkdtempSync(join(tmpdir(), 'selfless-node-c-'));
    masterKeyFile = join(cDir, 'master.key');
    c = await startServerProcess(cDir, ['--store', schema.url, '--node-id', 'c', '--node-dead-after', String(DEAD_AFTER_S), '--prestarted-runtimes', '0', '--time-scale', String(TIME_SCALE)]);
    await until(c.url, (v) => holder(v) === 'c' && v.Leases.some((l) => l.Name === DEPLOYMENTS && l.Holder === 'c'), 'the first node takes the leases');

    const a = await node('a');
    await assert.rejects(node('c'), /another node named c is running on this store/);
    const b = await node('b');

    const seen = await until(a.platform.url, (v) => v.Nodes.filter((n) => n.State === 'alive').length === 3, 'three nodes alive');
    assert.equal(seen.Self, 'a');
    assert.deepEqual(seen.Nodes.map((n) => n.NodeId), ['a', 'b', 'c']);
    assert.equal(seen.Nodes.find((n) => n.NodeId === 'c')!.Advertise, c.url);
    assert.deepEqual(seen.Nodes.find((n) => n.NodeId === 'c')!.Leases, [LEASE, DEPLOYMENTS, 'schedules']);
    assert.ok(seen.Nodes.every((n) => n.MaxEnvironments > 0));

    const cli = await run(process.execPath, [SELFLESS_BIN, 'nodes', '--endpoint', b.platform.url]);
    assert.equal(cli.code, 0, cli.stderr);
    const lines = cli.stdout.trim().split('\n');
    assert.match(lines[0]!, /^NODE\s+STATE\s+ADVERTISE/);
    assert.match(lines.find((l) => l.startsWith('b (this)'))!, /alive/);
    assert.match(lines.find((l) => l.startsWith('c '))!, new RegExp(`alive.*${LEASE}`));

    // A gradual deployment that c steps (it holds their lease), left in progress when c dies.
    const lambda = new LambdaClient({ endpoint: c.url, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1 });
    await createFunction(lambda, 'svc', 'release', { Environment: { Variables: { RELEASE: '1' } } });
    const deploy = async (url: string, body: object) => {
      const res = await fetch(`${url}/_selfless/functions/svc/deployments`, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
      const json = (await res.json()) as { DeploymentId: string; Status: string };
      assert.equal(res.status, 201, JSON.stringify(json));
      return json;
    };
    await deploy(c.url, { Alias: 'live', Strategy: 'AllAtOnce' });
    await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'svc', Environment: { Variables: { RELEASE: '2' } } }));
    await waitUntilFunctionUpdatedV2({ client: lambda, maxWaitTime: 60, minDelay: 1 }, { FunctionName: 'svc' });
    const gradual = await deploy(c.url, { Alias: 'live', Strategy: 'Linear10PercentEvery1Minute' });
    assert.equal(gradual.Status, 'InProgress');
    lambda.destroy();

    c.kill('SIGKILL');
    await c.exited;
    const afterDeath = await until(a.platform.url, (v) => stateOf(v, 'c') === 'dead' && (holder(v) === 'a' || holder(v) === 'b'), 'c seen dead and its lease taken by a live node');
    const survivor = holder(afterDeath)!;

    const end = Date.now() + DEADLINE_MS;
    let status = '';
    while (Date.now() < end && status !== 'Succeeded') {
      status = ((await (await fetch(`${a.platform.url}/_selfless/deployments/${gradual.DeploymentId}`)).json()) as { Status: string }).Status;
      if (status !== 'Succeeded') await new Promise((r) => setTimeout(r, 250));
    }
    assert.equal(status, 'Succeeded', 'the deployment c left went on to the end');
    const live = await a.lambda.send(new GetAliasCommand({ FunctionName: 'svc', Name: 'live' }));
    assert.equal(live.FunctionVersion, '2');
    assert.deepEqual(live.RoutingConfig?.AdditionalVersionWeights ?? {}, {});

    const [stopping, other] = survivor === 'a' ? [a, b] : [b, a];
    await stopping.stop();
    platforms.splice(platforms.indexOf(stopping), 1);
    const otherId = survivor === 'a' ? 'b' : 'a';
    const final = await until(other.platform.url, (v) => stateOf(v, survivor) === 'stopped' && holder(v) === otherId, 'the stopped node’s lease taken by the last one');
    assert.equal(stateOf(final, otherId), 'alive');
  });
});
