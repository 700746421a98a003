/**
 * Async events across nodes sharing a PostgreSQL store (#12 item 4): a running event belongs to the
 * node that claimed it. A node that starts while another runs events leaves them alone (each is
 * delivered once), and the events a node was running when it was killed with SIGKILL are run again
 * by a live node once the dead one is seen dead. Deliveries are counted by id through a queue the
 * function writes to; the function waits at the test's gate, so events are running when it matters.
 * Needs SELFLESS_TEST_POSTGRES_URL (CI sets it); without it the suite says so and is skipped.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { CreateQueueCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { Deliveries } from '../helpers/deliveries.js';
import { newGate, type Gate } from '../helpers/gate.js';
import { CREDENTIALS, createFunction, environmentsOf, startTestPlatform, type TestPlatform } from '../helpers/platform.js';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { sqsClient } from '../helpers/sqs.js';
import { testSchema, type TestSchema } from '../helpers/test-store.js';
import { until } from '../helpers/poll.js';

const DEAD_AFTER_S = 3;

interface NodesView {
  Nodes: { NodeId: string; State: string; InFlight: number }[];
}

const nodes = async (url: string): Promise<NodesView> => (await (await fetch(`${url}/_selfless/nodes`)).json()) as NodesView;
const nodeOf = (v: NodesView, id: string) => v.Nodes.find((n) => n.NodeId === id);

const submit = (lambda: LambdaClient, ids: string[]) =>
  Promise.all(ids.map((id) => lambda.send(new InvokeCommand({ FunctionName: 'deliver', InvocationType: 'Event', Payload: Buffer.from(JSON.stringify({ id })) }))));

const ids = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}-${i}`);

describe('async events across nodes', { skip: process.env['SELFLESS_TEST_POSTGRES_URL'] ? false : 'SELFLESS_TEST_POSTGRES_URL is not set' }, () => {
  let schema: TestSchema | undefined;
  let c: ServerProcess | undefined;
  let gate: Gate | undefined;
  const platforms: TestPlatform[] = [];
  const clients: { destroy(): void }[] = [];
  after(async () => {
    gate?.open();
    gate?.close();
    c?.kill();
    clients.forEach((x) => x.destroy());
    for (const p of platforms) await p.stop().catch(() => undefined);
    await schema?.drop();
  });

  const node = async (nodeId: string, masterKeyFile: string, deadAfterS = DEAD_AFTER_S) => {
    const p = await startTestPlatform({ store: schema!.url, nodeId, nodeDeadAfterMs: deadAfterS * 1000, prestartedRuntimes: 0, masterKeyFile });
    platforms.push(p);
    return p;
  };
  const resultsQueue = async (sqs: SQSClient) => (await sqs.send(new CreateQueueCommand({ QueueName: 'deliveries' }))).QueueUrl!;

  it('delivers each event once when a node starts while another runs events', async () => {
    schema = await testSchema();
    gate = await newGate();
    const masterKeyFile = join(mkdtempSync(join(tmpdir(), 'selfless-async-fleet-')), 'master.key');
    // No node dies here: the default dead-after time keeps a busy machine's late heartbeat from looking like a death.
    const a = await node('async-a', masterKeyFile, 10);
    const sqs = sqsClient(a.platform.url);
    clients.push(sqs);
    const deliveries = new Deliveries(sqs, await resultsQueue(sqs));
    await createFunction(a.lambda, 'deliver', 'deliveries', { Environment: { Variables: { RESULTS_QUEUE: 'deliveries', GATE: gate.url } } });

    // Running on a (held at the gate) when b starts: b must not take them for a dead server's.
    const first = ids('first', 3);
    await submit(a.lambda, first);
    await gate.entered(first.length);
    const second = ids('second', 5);
    const [b] = await Promise.all([node('async-b', masterKeyFile, 10), submit(a.lambda, second)]);
    const third = ids('third', 3);
    await submit(b.lambda, third);
    gate.open();

    const all = [...first, ...second, ...third];
    await deliveries.until(all, 'every event delivered');
    await deliveries.settle();
    assert.deepEqual(deliveries.twice(), [], 'no event delivered twice');
    assert.deepEqual([...deliveries.counts.keys()].sort(), [...all].sort());
    assert.equal(gate.arrived, all.length, 'each event ran once');
    gate.close();
    gate = undefined;
    for (const p of platforms.splice(0)) await p.stop();
    await schema.drop();
    schema = undefined;
  });

  it('runs again, on a live node, the events a killed node was running', async () => {
    schema = await testSchema();
    gate = await newGate();
    const cDir = mkdtempSync(join(tmpdir(), 'selfless-async-c-'));
    c = await startServerProcess(cDir, ['--store', schema.url, '--node-id', 'async-c', '--node-dead-after', String(DEAD_AFTER_S), '--prestarted-runtimes', '0']);
    const a = await node('async-a', join(cDir, 'master.key'));
    const sqs = sqsClient(a.platform.url);
    const lambdaC = new LambdaClient({ endpoint: c.url, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1 });
    clients.push(sqs, lambdaC);
    const deliveries = new Deliveries(sqs, await resultsQueue(sqs));
    await createFunction(lambdaC, 'deliver', 'deliveries', { Environment: { Variables: { RESULTS_QUEUE: 'deliveries', GATE: gate.url } } });

    const events = ids('event', 3);
    await submit(lambdaC, events);
    await gate.entered(events.length);
    await until(() => nodes(a.platform.url), (v) => nodeOf(v, 'async-c')?.InFlight === events.length, 'c runs the events');
    const pids = (await environmentsOf(c.url, 'deliver')).map((e) => e.Pid);

    c.kill('SIGKILL');
    await c.exited;
    // What c started cannot answer any more; its function processes go too.
    for (const pid of pids) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // gone with the server
      }
    }
    gate.open();
    await until(() => nodes(a.platform.url), (v) => nodeOf(v, 'async-c')?.State === 'dead', 'c seen dead');
    await deliveries.until(events, 'the killed node’s events run by the survivor');
    await deliveries.settle();
    assert.deepEqual(deliveries.twice(), [], 'no event delivered twice');
    assert.deepEqual([...deliveries.counts.keys()].sort(), events);
    assert.equal(gate.arrived, 2 * events.length, 'each event started on c, then once on a');
  });
});
