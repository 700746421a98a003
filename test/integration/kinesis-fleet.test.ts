/**
 * A Kinesis event source mapping across nodes sharing a PostgreSQL store (#12 item 4): the stream is
 * polled by the one node holding the mapping's lease, so with two nodes each record is delivered
 * once; a change made through the other node reaches the holder; and when the holder is killed with
 * SIGKILL, the lease moves to the survivor, which resumes from the stored checkpoints.
 * Deliveries are counted by record through queues the function writes to.
 * Needs SELFLESS_TEST_POSTGRES_URL (CI sets it); without it the suite says so and is skipped.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { CreateStreamCommand, PutRecordsCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import { CreateEventSourceMappingCommand, GetEventSourceMappingCommand, LambdaClient, UpdateEventSourceMappingCommand } from '@aws-sdk/client-lambda';
import { CreateQueueCommand } from '@aws-sdk/client-sqs';
import { Deliveries } from '../helpers/deliveries.js';
import { kinesisClient, streamArn } from '../helpers/kinesis.js';
import { CREDENTIALS, createFunction, startTestPlatform, type TestPlatform } from '../helpers/platform.js';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { sqsClient } from '../helpers/sqs.js';
import { testSchema, type TestSchema } from '../helpers/test-store.js';

const DEAD_AFTER_S = 3;
const DEADLINE_MS = 90_000;

interface NodesView {
  Nodes: { NodeId: string; State: string }[];
  Leases: { Name: string; Holder: string }[];
}

async function until<T>(probe: () => Promise<T>, ok: (v: T) => boolean, what: string): Promise<T> {
  const end = Date.now() + DEADLINE_MS;
  let last: T | undefined;
  while (Date.now() < end) {
    last = await probe().catch((err: unknown) => err as T);
    if (ok(last)) return last;
    await new Promise((r) => setTimeout(r, 200));
  }
  assert.fail(`${what}; last seen: ${JSON.stringify(last)}`);
}

const nodes = async (url: string): Promise<NodesView> => (await (await fetch(`${url}/_selfless/nodes`)).json()) as NodesView;
const ids = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}-${i}`);
const put = (k: KinesisClient, records: string[]) =>
  k.send(new PutRecordsCommand({ StreamName: 'clicks', Records: records.map((id, i) => ({ PartitionKey: `key-${i % 4}`, Data: Buffer.from(id) })) }));

describe('a Kinesis mapping across nodes', { skip: process.env['SELFLESS_TEST_POSTGRES_URL'] ? false : 'SELFLESS_TEST_POSTGRES_URL is not set' }, () => {
  let schema: TestSchema | undefined;
  let c: ServerProcess | undefined;
  const platforms: TestPlatform[] = [];
  const clients: { destroy(): void }[] = [];
  after(async () => {
    c?.kill();
    clients.forEach((x) => x.destroy());
    for (const p of platforms) await p.stop().catch(() => undefined);
    await schema?.drop();
  });

  it('is polled by the lease holder alone, follows changes made on the other node, and moves to the survivor', async () => {
    schema = await testSchema();
    const cDir = mkdtempSync(join(tmpdir(), 'selfless-kinesis-c-'));
    c = await startServerProcess(cDir, ['--store', schema.url, '--node-id', 'kinesis-c', '--node-dead-after', String(DEAD_AFTER_S), '--prestarted-runtimes', '0']);
    const a = await startTestPlatform({ store: schema.url, nodeId: 'kinesis-a', nodeDeadAfterMs: DEAD_AFTER_S * 1000, prestartedRuntimes: 0, masterKeyFile: join(cDir, 'master.key') });
    platforms.push(a);
    const sqs = sqsClient(a.platform.url);
    const k = kinesisClient(a.platform.url);
    const lambdaC = new LambdaClient({ endpoint: c.url, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1 });
    clients.push(sqs, k, lambdaC);

    const first = new Deliveries(sqs, (await sqs.send(new CreateQueueCommand({ QueueName: 'deliveries' }))).QueueUrl!);
    const second = new Deliveries(sqs, (await sqs.send(new CreateQueueCommand({ QueueName: 'deliveries-2' }))).QueueUrl!);
    await createFunction(a.lambda, 'deliver', 'deliveries', { Environment: { Variables: { RESULTS_QUEUE: 'deliveries' } } });
    await createFunction(a.lambda, 'deliver-2', 'deliveries', { Environment: { Variables: { RESULTS_QUEUE: 'deliveries-2' } } });
    await k.send(new CreateStreamCommand({ StreamName: 'clicks', ShardCount: 2 }));

    // Created through c, which takes its lease; a hears of it from the store.
    const { UUID } = await lambdaC.send(
      new CreateEventSourceMappingCommand({ FunctionName: 'deliver', EventSourceArn: streamArn('clicks'), StartingPosition: 'TRIM_HORIZON', BatchSize: 5 }),
    );
    const lease = `event-source-mapping:${UUID}`;
    await until(() => lambdaC.send(new GetEventSourceMappingCommand({ UUID })), (m) => m.State === 'Enabled', 'the mapping enabled');
    await until(() => nodes(a.platform.url), (v) => v.Leases.some((l) => l.Name === lease && l.Holder === 'kinesis-c'), 'c holds the mapping’s lease');
    await until(() => a.lambda.send(new GetEventSourceMappingCommand({ UUID })), (m) => m.State === 'Enabled', 'a knows the mapping');

    // Both nodes know the mapping; only the holder polls.
    const p1 = ids('p1', 30);
    await put(k, p1);
    await first.until(p1, 'records put with both nodes up');
    await first.settle();
    assert.deepEqual(first.twice(), [], 'no record delivered twice while both nodes run');
    assert.deepEqual([...first.counts.keys()].sort(), [...p1].sort());

    // Changed through a, which does not poll it: the holder takes the change from the store.
    await a.lambda.send(new UpdateEventSourceMappingCommand({ UUID, FunctionName: 'deliver-2' }));
    await until(() => lambdaC.send(new GetEventSourceMappingCommand({ UUID })), (m) => m.FunctionArn?.endsWith(':deliver-2') === true, 'c sees the change');
    const p2 = ids('p2', 20);
    await put(k, p2);
    await second.until(p2, 'records put after the change, to the new function');
    assert.equal((await nodes(a.platform.url)).Leases.find((l) => l.Name === lease)?.Holder, 'kinesis-c', 'the holder polled them');

    c.kill('SIGKILL');
    await c.exited;
    await until(() => nodes(a.platform.url), (v) => v.Leases.some((l) => l.Name === lease && l.Holder === 'kinesis-a'), 'the survivor takes the mapping’s lease');
    const p3 = ids('p3', 20);
    await put(k, p3);
    await second.until(p3, 'records put after the holder died');
    await second.settle();
    // A batch c had invoked but not checkpointed when killed may come again; nothing put after does.
    assert.deepEqual(second.twice().filter((id) => !p2.includes(id)), [], 'no record put after the holder died delivered twice');
    assert.deepEqual([...second.counts.keys()].sort(), [...p2, ...p3].sort());
    assert.equal(first.counts.size, p1.length, 'nothing more for the old function');
  });
});
