/**
 * `serverless deploy` (Serverless Framework v3, with the serverless-localstack plugin pointing its AWS SDK v2
 * at this server) deploys test/fixtures/serverless-app: an http function behind a REST API, a queue worker
 * and a scheduled function. The deployment serves, a second deploy updates it, `serverless remove` deletes it.
 */
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DescribeStacksCommand, ListStackResourcesCommand, type CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { APIGatewayClient, GetRestApisCommand } from '@aws-sdk/client-api-gateway';
import { EventBridgeClient, ListRulesCommand, ListTargetsByRuleCommand } from '@aws-sdk/client-eventbridge';
import { FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { ListFunctionsCommand } from '@aws-sdk/client-lambda';
import { ListObjectsV2Command, ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { ListQueuesCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { ManualClock } from '../../src/lib/clock.js';
import { cfnClient } from '../helpers/cloudformation.js';
import { ensureFixtureInstalled } from '../helpers/fixture-install.js';
import { CREDENTIALS, startTestPlatform, type TestPlatform } from '../helpers/platform.js';
import { run, type RunResult } from '../helpers/run.js';
import { sqsClient } from '../helpers/sqs.js';

const STACK = 'sls-app-local';
const HOUR = 3_600_000;
const DEADLINE_MS = 120_000;

/** Polls `check` until it gives a value, for up to two minutes (the machine's speed varies 3×). */
async function eventually<T>(check: () => Promise<T | undefined>, what: string): Promise<T> {
  const until = Date.now() + DEADLINE_MS;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('serverless deploy (Framework v3 with serverless-localstack)', { timeout: 600_000 }, () => {
  let t: TestPlatform;
  let cfn: CloudFormationClient;
  let sqs: SQSClient;
  let s3: S3Client;
  let events: EventBridgeClient;
  let apigateway: APIGatewayClient;
  let fixture: string;
  let service: string;
  let home: string;
  let connections: string;
  const clock = new ManualClock();

  before(async () => {
    const install = await ensureFixtureInstalled('../serverless-app', {
      requiredFiles: ['node_modules/serverless/bin/serverless.js', 'node_modules/serverless-localstack/package.json'],
    });
    fixture = install.dir;
    if (install.installed) console.log(`fixture serverless-app installed in ${install.ms} ms`);
    t = await startTestPlatform({}, undefined, { scheduleClock: clock });
    const config = { endpoint: t.platform.url, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1 };
    cfn = cfnClient(t);
    sqs = sqsClient(t.platform.url);
    s3 = new S3Client({ ...config, forcePathStyle: true });
    events = new EventBridgeClient(config);
    apigateway = new APIGatewayClient(config);
    // The service is deployed from a copy, so the framework's .serverless/ build folder stays out of the repository.
    service = mkdtempSync(join(tmpdir(), 'selfless-sls-app-'));
    for (const f of ['serverless.yml', 'handler.js']) cpSync(join(fixture, f), join(service, f));
    symlinkSync(join(fixture, 'node_modules'), join(service, 'node_modules'));
    home = mkdtempSync(join(tmpdir(), 'selfless-sls-home-'));
    connections = join(home, 'connections.jsonl');
  });
  after(async () => {
    cfn?.destroy();
    sqs?.destroy();
    s3?.destroy();
    events?.destroy();
    apigateway?.destroy();
    await t?.stop();
    if (service) rmSync(service, { recursive: true, force: true });
    if (home) rmSync(home, { recursive: true, force: true });
  });

  /** `serverless <command> --stage local` with only the environment it needs: never the caller's AWS settings. */
  async function sls(command: string, extraEnv: Record<string, string> = {}): Promise<RunResult> {
    const port = new URL(t.platform.url).port;
    const env: NodeJS.ProcessEnv = {
      PATH: process.env['PATH'],
      HOME: home,
      ...(process.env['NODE_EXTRA_CA_CERTS'] ? { NODE_EXTRA_CA_CERTS: process.env['NODE_EXTRA_CA_CERTS'] } : {}),
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_REGION: 'us-east-1',
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_EC2_METADATA_DISABLED: 'true',
      SLS_TELEMETRY_DISABLED: '1',
      SLS_NOTIFICATIONS_MODE: 'off',
      SELFLESS_HOST: '127.0.0.1',
      SELFLESS_PORT: port,
      // Every connection the framework opens is written down, so that the test can check none left this machine.
      NODE_OPTIONS: `--require ${join(fixture, 'record-connections.cjs')}`,
      SELFLESS_CONNECTIONS_LOG: connections,
      ...extraEnv,
    };
    writeFileSync(connections, '');
    const started = Date.now();
    const result = await run(process.execPath, [join(fixture, 'node_modules/serverless/bin/serverless.js'), command, '--stage', 'local'], { cwd: service, env });
    const output = `${result.stdout}\n${result.stderr}`;
    assert.equal(result.code, 0, `serverless ${command} failed after ${Date.now() - started} ms:\n${output}`);
    // Only the server: no AWS address, no telemetry, no notifications.
    const seen = readFileSync(connections, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as { connect?: string; lookup?: string });
    const elsewhere = seen.filter((e) => (e.connect !== undefined && e.connect !== `127.0.0.1:${port}`) || (e.lookup !== undefined && e.lookup !== '127.0.0.1'));
    assert.deepEqual(elsewhere, [], `serverless ${command} reached beyond the server`);
    assert.ok(seen.some((e) => e.connect === `127.0.0.1:${port}`), `serverless ${command} never connected to the server`);
    return result;
  }

  const resourcesOf = async () => {
    const list = (await cfn.send(new ListStackResourcesCommand({ StackName: STACK }))).StackResourceSummaries ?? [];
    return new Map(list.map((r) => [r.LogicalResourceId!, r]));
  };
  const outputsOf = async () => {
    const stack = (await cfn.send(new DescribeStacksCommand({ StackName: STACK }))).Stacks![0]!;
    return { status: stack.StackStatus, outputs: new Map((stack.Outputs ?? []).map((o) => [o.OutputKey!, o.OutputValue!])) };
  };
  const restApiId = async () => (await resourcesOf()).get('ApiGatewayRestApi')!.PhysicalResourceId!;
  const callHello = async (query = '') => {
    const res = await fetch(`${t.platform.url}/_aws/execute-api/${await restApiId()}/local/hello${query}`);
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  /** The messages a function's log group holds that contain `text`. */
  const logLines = async (fn: string, text: string): Promise<string[]> => {
    const out = await t.logs.send(new FilterLogEventsCommand({ logGroupName: `/aws/lambda/${fn}`, filterPattern: `"${text}"` })).catch(() => undefined);
    return (out?.events ?? []).map((e) => e.message ?? '');
  };

  it('deploys the service: a stack whose artifacts were uploaded to this server', async () => {
    await sls('deploy');
    const { status, outputs } = await outputsOf();
    assert.equal(status, 'UPDATE_COMPLETE');
    const resources = await resourcesOf();
    for (const [id, type] of [
      ['ServerlessDeploymentBucket', 'AWS::S3::Bucket'],
      ['ApiGatewayRestApi', 'AWS::ApiGateway::RestApi'],
      ['ApiGatewayMethodHelloGet', 'AWS::ApiGateway::Method'],
      ['AuthApiGatewayAuthorizer', 'AWS::ApiGateway::Authorizer'],
      ['JobsQueue', 'AWS::SQS::Queue'],
      ['WorkerEventSourceMappingSQSJobsQueue', 'AWS::Lambda::EventSourceMapping'],
      ['TickEventsRuleSchedule1', 'AWS::Events::Rule'],
    ]) {
      assert.equal(resources.get(id!)?.ResourceType, type, `${id} in ${[...resources.keys()].join(', ')}`);
      assert.match(resources.get(id!)!.ResourceStatus!, /_COMPLETE$/);
    }
    // The framework's uploads reached this server, not AWS: the template and the code are in the deployment bucket.
    const bucket = outputs.get('ServerlessDeploymentBucketName')!;
    const keys = ((await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'serverless/sls-app/local/' }))).Contents ?? []).map((o) => o.Key!);
    assert.ok(keys.some((k) => k.endsWith('/sls-app.zip')), keys.join(', '));
    assert.ok(keys.some((k) => k.endsWith('/compiled-cloudformation-template.json')), keys.join(', '));
    assert.equal(outputs.get('HelloLambdaFunctionQualifiedArn'), 'arn:aws:lambda:us-east-1:000000000000:function:sls-app-local-hello:1');
  });

  it('serves the http event through the REST API, with the environment variables set and CORS preflights answered', async () => {
    const { status, body } = await callHello('?name=sls');
    assert.equal(status, 200);
    assert.deepEqual(body, { greeting: 'hello', stage: 'local', queueUrl: (await outputsOf()).outputs.get('JobsQueueUrl'), path: '/hello', name: 'sls' });
    // `cors: true` adds an OPTIONS method with a MOCK integration answering the preflight.
    const preflight = await fetch(`${t.platform.url}/_aws/execute-api/${await restApiId()}/local/hello`, { method: 'OPTIONS', headers: { origin: 'http://app.example', 'access-control-request-method': 'GET' } });
    assert.equal(preflight.status, 200);
    assert.equal(preflight.headers.get('access-control-allow-origin'), '*');
    assert.equal(preflight.headers.get('access-control-allow-methods'), 'OPTIONS,GET');
  });

  it('guards a function with the TOKEN authorizer function', async () => {
    const url = `${t.platform.url}/_aws/execute-api/${await restApiId()}/local/secret`;
    const secret = (authorization?: string) => fetch(url, { headers: authorization ? { authorization } : {} });
    assert.equal((await secret()).status, 401);
    assert.equal((await secret('Bearer deny')).status, 403);
    const allowed = await secret('Bearer allow');
    assert.equal(allowed.status, 200);
    assert.deepEqual(await allowed.json(), { principalId: 'user-1', team: 'blue' });
  });

  it('runs the worker for a message sent to the queue', async () => {
    const queueUrl = (await outputsOf()).outputs.get('JobsQueueUrl')!;
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'job-1' }));
    const lines = await eventually(async () => {
      const found = await logLines('sls-app-local-worker', 'WORKER');
      return found.length > 0 ? found : undefined;
    }, 'the worker to log the message');
    assert.match(lines[0]!, /WORKER hello got job-1/);
  });

  it('schedules the tick function: the rule targets it and fires when its hour passes', async () => {
    const rule = (await resourcesOf()).get('TickEventsRuleSchedule1')!.PhysicalResourceId!;
    const rules = (await events.send(new ListRulesCommand({ NamePrefix: rule }))).Rules ?? [];
    assert.equal(rules[0]?.ScheduleExpression, 'rate(1 hour)');
    assert.equal(rules[0]?.State, 'ENABLED');
    const targets = (await events.send(new ListTargetsByRuleCommand({ Rule: rule }))).Targets ?? [];
    assert.deepEqual(
      targets.map((x) => [x.Arn, x.Input]),
      [['arn:aws:lambda:us-east-1:000000000000:function:sls-app-local-tick', '{"source":"sls-app"}']],
    );
    // rate() counts from the rule's creation, stamped by the server's own clock: move the schedule clock an hour past now.
    clock.advance(Math.max(0, Date.now() - clock.now()) + HOUR);
    const lines = await eventually(async () => {
      const found = await logLines('sls-app-local-tick', 'TICK');
      return found.length > 0 ? found : undefined;
    }, 'the scheduled function to run');
    assert.match(lines[0]!, /TICK \{"source":"sls-app"\}/);
  });

  it('deploys a change as an update: new versions, the API serves the new environment', async () => {
    await sls('deploy', { SLS_APP_GREETING: 'bonjour' });
    const { status, outputs } = await outputsOf();
    assert.equal(status, 'UPDATE_COMPLETE');
    assert.equal(outputs.get('HelloLambdaFunctionQualifiedArn'), 'arn:aws:lambda:us-east-1:000000000000:function:sls-app-local-hello:2');
    const { status: code, body } = await callHello();
    assert.equal(code, 200);
    assert.equal(body['greeting'], 'bonjour');
  });

  it('serverless remove deletes the stack and everything it made', async () => {
    const bucket = (await outputsOf()).outputs.get('ServerlessDeploymentBucketName')!;
    const apiId = await restApiId();
    await sls('remove');
    const stacks = await cfn.send(new DescribeStacksCommand({ StackName: STACK })).catch((e: Error) => e);
    assert.ok(stacks instanceof Error && /does not exist/.test(stacks.message), String(stacks));
    const functions = (await t.lambda.send(new ListFunctionsCommand({}))).Functions ?? [];
    assert.deepEqual(functions.map((f) => f.FunctionName), []);
    assert.deepEqual((await sqs.send(new ListQueuesCommand({}))).QueueUrls ?? [], []);
    assert.deepEqual((await events.send(new ListRulesCommand({}))).Rules ?? [], []);
    assert.ok(!((await s3.send(new ListBucketsCommand({}))).Buckets ?? []).some((b) => b.Name === bucket));
    const apis = (await apigateway.send(new GetRestApisCommand({}))).items ?? [];
    assert.ok(!apis.some((a) => a.id === apiId), `REST API ${apiId} is still there`);
  });
});
