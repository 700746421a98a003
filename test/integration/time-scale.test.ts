/**
 * `selfless serve --time-scale 60`: a minute of schedules and deployments passes in a real second. The
 * server is a real child process started by the CLI; each check has a deadline far shorter than the
 * real-time wait (a minute for the schedule, five for the canary), so a server ignoring the scale fails.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { EventBridgeClient, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { GetAliasCommand, LambdaClient, UpdateFunctionConfigurationCommand, waitUntilFunctionUpdatedV2 } from '@aws-sdk/client-lambda';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { CREDENTIALS, createFunction } from '../helpers/platform.js';
import { run, SELFLESS_BIN } from '../helpers/run.js';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { sqsClient } from '../helpers/sqs.js';

/** Real seconds a check may take: far less than the minutes the scaled clock covers in them. */
const DEADLINE_MS = 30_000;

describe('the server time scale (--time-scale)', { timeout: 600_000 }, () => {
  let server: ServerProcess;
  let dir: string;
  let sqs: SQSClient;
  let eb: EventBridgeClient;
  let lambda: LambdaClient;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'time-scale-'));
    server = await startServerProcess(dir, ['--time-scale', '60']);
    const config = { endpoint: server.url, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1 };
    sqs = sqsClient(server.url);
    eb = new EventBridgeClient(config);
    lambda = new LambdaClient(config);
  });
  after(async () => {
    sqs.destroy();
    eb.destroy();
    lambda.destroy();
    server.kill();
    await server.exited;
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a time scale that is not a positive number up to 3600', async () => {
    for (const bad of ['0', '3601', 'fast']) {
      const out = await run(process.execPath, [SELFLESS_BIN, 'serve', '--port', '0', '--data-dir', join(dir, 'refused'), '--time-scale', bad]);
      assert.equal(out.code, 1, out.stdout);
      assert.match(out.stderr, /time-?[sS]cale/);
    }
  });

  it('a rate(1 minute) rule fires every real second at scale 60', async () => {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'ticks' }));
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
    await eb.send(new PutRuleCommand({ Name: 'every-minute', ScheduleExpression: 'rate(1 minute)' }));
    await eb.send(new PutTargetsCommand({ Rule: 'every-minute', Targets: [{ Id: 'q', Arn: Attributes!['QueueArn']! }] }));
    const deadline = Date.now() + DEADLINE_MS;
    const times: string[] = [];
    while (times.length < 3) {
      assert.ok(Date.now() < deadline, `three scheduled events within ${DEADLINE_MS / 1000} s, got ${times.length}`);
      const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
      for (const m of Messages ?? []) times.push((JSON.parse(m.Body!) as { time: string }).time);
    }
    // Each occurrence is a minute of the scaled clock after the one before.
    const sorted = times.map((x) => Date.parse(x)).sort((a, b) => a - b);
    assert.equal(sorted[1]! - sorted[0]!, 60_000);
  });

  it('a Canary10Percent5Minutes deployment shifts 10% and completes in seconds at scale 60', async () => {
    await createFunction(lambda, 'svc', 'release', { Environment: { Variables: { RELEASE: '1' } } });
    const deploy = async (body: unknown) => {
      const res = await fetch(`${server.url}/_selfless/functions/svc/deployments`, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
      assert.equal(res.status, 201);
      return (await res.json()) as { DeploymentId: string; Status: string };
    };
    await deploy({ Alias: 'live', Strategy: 'AllAtOnce' });
    await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'svc', Environment: { Variables: { RELEASE: '2' } } }));
    await waitUntilFunctionUpdatedV2({ client: lambda, maxWaitTime: 30, minDelay: 1 }, { FunctionName: 'svc' });
    const canary = await deploy({ Alias: 'live', Strategy: 'Canary10Percent5Minutes' });
    assert.equal(canary.Status, 'InProgress');
    const deadline = Date.now() + DEADLINE_MS;
    for (;;) {
      const d = (await (await fetch(`${server.url}/_selfless/deployments/${canary.DeploymentId}`)).json()) as { Status: string; Steps: { Weight: number }[] };
      if (d.Status !== 'InProgress') {
        assert.equal(d.Status, 'Succeeded');
        assert.deepEqual(d.Steps.map((s) => s.Weight), [0.1, 1]);
        break;
      }
      assert.ok(Date.now() < deadline, `the five-minute canary within ${DEADLINE_MS / 1000} s`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const a = await lambda.send(new GetAliasCommand({ FunctionName: 'svc', Name: 'live' }));
    assert.deepEqual([a.FunctionVersion, a.RoutingConfig], ['2', undefined]);
  });
});
