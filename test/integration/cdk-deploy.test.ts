/**
 * The real CDK CLI against Selfless, pointed at it by `AWS_ENDPOINT_URL` and `AWS_ENDPOINT_URL_S3`
 * alone: `cdk bootstrap` with CDK's own template, `cdk deploy` of a TypeScript app (a function with
 * an SQS trigger, a function URL, a schedule rule and a DynamoDB table), an update, `cdk destroy`.
 * Every connection the CLI and the app make is checked to stay on this machine.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { DescribeStacksCommand, type CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { DescribeTableCommand, DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { DescribeRuleCommand, EventBridgeClient, ListTargetsByRuleCommand } from '@aws-sdk/client-eventbridge';
import { GetFunctionCommand, GetPolicyCommand, ListEventSourceMappingsCommand } from '@aws-sdk/client-lambda';
import { GetBucketLifecycleConfigurationCommand, GetBucketVersioningCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { GetQueueUrlCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { cfnClient } from '../helpers/cloudformation.js';
import { ALL_FIXTURES, ensureFixtureInstalled } from '../helpers/fixture-install.js';
import { doorFetch } from '../helpers/front-door-http.js';
import { CREDENTIALS, startTestPlatform, type TestPlatform } from '../helpers/platform.js';
import { run, type RunResult } from '../helpers/run.js';
import { sqsClient } from '../helpers/sqs.js';

const APP = join(ALL_FIXTURES, 'cdk-app');
const TSC = fileURLToPath(new URL('../../../node_modules/typescript/bin/tsc', import.meta.url));
const CDK = join(APP, 'node_modules/aws-cdk/bin/cdk');
const STACK = 'SelflessCdkApp';
const LONG = { timeout: 10 * 60_000 };

/**
 * Loaded into every Node process the CLI starts (itself, the app's synth): refuses and records any
 * connection that is not to loopback, so a tool that ignored the endpoint settings fails the test.
 */
const GUARD = `
const net = require('node:net');
const fs = require('node:fs');
const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (...args) {
  const a = Array.isArray(args[0]) ? args[0][0] : args[0];
  const o = typeof a === 'object' && a !== null ? a : { port: a, host: args[1] };
  const host = o.host === undefined || o.host === null ? undefined : String(o.host);
  if (host !== undefined && !/^(127\\.|::1$|\\[::1\\]$|localhost$|::ffff:127\\.)/.test(host)) {
    fs.appendFileSync(process.env.SELFLESS_GUARD_LOG, host + ':' + o.port + '\\n');
    process.nextTick(() => this.destroy(new Error('off-machine connection refused by the test: ' + host + ':' + o.port)));
    return this;
  }
  return connect.apply(this, args);
};
`;

interface Outputs {
  FunctionName: string;
  FunctionUrl: string;
  QueueUrl: string;
  TableName: string;
  RuleName: string;
}

describe('CDK: bootstrap, deploy, update and destroy a TypeScript app with the real CLI', LONG, () => {
  let t: TestPlatform;
  let work: string;
  let cfn: CloudFormationClient;
  let sqs: SQSClient;
  let ddb: DynamoDBClient;
  let events: EventBridgeClient;
  let ssm: SSMClient;
  let s3: S3Client;
  let outputs: Outputs;

  before(async () => {
    const started = Date.now();
    const install = await ensureFixtureInstalled('cdk-app', {
      under: ALL_FIXTURES,
      requiredFiles: ['node_modules/aws-cdk/bin/cdk', 'node_modules/aws-cdk-lib/package.json', 'node_modules/constructs/package.json'],
    });
    // The app is TypeScript: compiled by the project's own compiler, so the CLI runs plain `node app.js`.
    const tsc = await run(process.execPath, [TSC, '-p', APP]);
    assert.equal(tsc.code, 0, tsc.stdout + tsc.stderr);
    console.log(`# cdk-app fixture: install ${install.installed ? `${install.ms} ms` : 'already done'}, ready after ${Date.now() - started} ms`);
    t = await startTestPlatform();
    work = mkdtempSync(join(tmpdir(), 'selfless-cdk-'));
    writeFileSync(join(work, 'guard.cjs'), GUARD);
    // The guard itself is checked: a request for an AWS-like host is refused before any lookup, and recorded.
    const probeLog = join(work, 'probe.log');
    const probe = `require('node:https').get('https://sts.us-east-1.amazonaws.invalid/').on('error', (e) => console.log(e.message));`;
    const probed = await run(process.execPath, ['--require', join(work, 'guard.cjs'), '-e', probe], { env: { PATH: process.env['PATH'] ?? '', SELFLESS_GUARD_LOG: probeLog } });
    assert.match(probed.stdout, /off-machine connection refused/);
    assert.equal(readFileSync(probeLog, 'utf8'), 'sts.us-east-1.amazonaws.invalid:443\n');
    const c = { endpoint: t.platform.url, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1 };
    cfn = cfnClient(t);
    sqs = sqsClient(t.platform.url);
    ddb = new DynamoDBClient(c);
    events = new EventBridgeClient(c);
    ssm = new SSMClient(c);
    s3 = new S3Client({ ...c, forcePathStyle: true });
  });
  after(async () => {
    for (const client of [cfn, sqs, ddb, events, ssm, s3]) client?.destroy();
    await t?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  /** The CLI as a user runs it, pointed at Selfless only by the documented endpoint settings. */
  async function cdk(args: string[], env: Record<string, string> = {}): Promise<RunResult> {
    const guardLog = join(work, 'connections.log');
    writeFileSync(guardLog, '');
    const res = await run(process.execPath, [CDK, ...args, '--no-notices', '--output', join(work, 'cdk.out')], {
      cwd: APP,
      env: {
        PATH: process.env['PATH'] ?? '',
        HOME: work,
        AWS_ACCESS_KEY_ID: 'test',
        AWS_SECRET_ACCESS_KEY: 'test',
        AWS_REGION: 'us-east-1',
        AWS_DEFAULT_REGION: 'us-east-1',
        AWS_EC2_METADATA_DISABLED: 'true',
        AWS_ENDPOINT_URL: t.platform.url,
        AWS_ENDPOINT_URL_S3: t.platform.url,
        CDK_DISABLE_CLI_TELEMETRY: 'true',
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        NODE_OPTIONS: `--require ${join(work, 'guard.cjs')}`,
        SELFLESS_GUARD_LOG: guardLog,
        ...env,
      },
    });
    assert.equal(readFileSync(guardLog, 'utf8'), '', `cdk ${args[0]} tried to leave this machine`);
    assert.equal(res.code, 0, `cdk ${args.join(' ')} failed:\n${res.stdout}\n${res.stderr.slice(-6000)}`);
    return res;
  }

  async function waitForItem(table: string, pk: string): Promise<Record<string, { S?: string }>> {
    const until = Date.now() + 60_000;
    for (;;) {
      const item = (await ddb.send(new GetItemCommand({ TableName: table, Key: { pk: { S: pk } } }))).Item;
      if (item) return item as Record<string, { S?: string }>;
      if (Date.now() > until) throw new Error(`no item ${pk} in ${table} after 60 s`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  async function callUrl(path: string): Promise<{ greeting: string; path: string }> {
    const res = await doorFetch(`${outputs.FunctionUrl.replace(/\/$/, '')}${path}`);
    assert.equal(res.status, 200, await res.clone().text());
    return (await res.json()) as { greeting: string; path: string };
  }

  it('cdk bootstrap: the CDKToolkit stack from CDK\'s own template, its bucket, repository and version parameter', async () => {
    // CDK's own bootstrap template, as shipped: a versioned staging bucket whose old versions expire.
    await cdk(['bootstrap', 'aws://000000000000/us-east-1', '--require-approval', 'never']);
    const stack = (await cfn.send(new DescribeStacksCommand({ StackName: 'CDKToolkit' }))).Stacks![0]!;
    assert.equal(stack.StackStatus, 'CREATE_COMPLETE');
    const out = Object.fromEntries(stack.Outputs!.map((o) => [o.OutputKey, o.OutputValue]));
    assert.equal(out['BucketName'], 'cdk-hnb659fds-assets-000000000000-us-east-1');
    assert.equal(out['ImageRepositoryName'], 'cdk-hnb659fds-container-assets-000000000000-us-east-1');
    const version = (await ssm.send(new GetParameterCommand({ Name: '/cdk-bootstrap/hnb659fds/version' }))).Parameter!.Value;
    assert.match(version ?? '', /^\d+$/);
    assert.equal(out['BootstrapVersion'], version);
    const versioning = await s3.send(new GetBucketVersioningCommand({ Bucket: out['BucketName'] }));
    assert.equal(versioning.Status, 'Enabled');
    const lifecycle = await s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: out['BucketName'] }));
    assert.ok(lifecycle.Rules?.some((r) => r.NoncurrentVersionExpiration?.NoncurrentDays !== undefined), JSON.stringify(lifecycle.Rules));
  });

  it('cdk deploy: assets published to the bootstrap bucket; the queue triggers the function, which writes to the table; the URL answers; the rule targets it', async () => {
    const outputsFile = join(work, 'outputs.json');
    await cdk(['deploy', '--require-approval', 'never', '--outputs-file', outputsFile]);
    outputs = (JSON.parse(readFileSync(outputsFile, 'utf8')) as Record<string, Outputs>)[STACK]!;

    const assets = (await s3.send(new ListObjectsV2Command({ Bucket: 'cdk-hnb659fds-assets-000000000000-us-east-1' }))).Contents ?? [];
    assert.ok(assets.some((o) => o.Key!.endsWith('.zip')), 'the function code asset');
    assert.ok(assets.some((o) => o.Key!.endsWith('.json')), 'the template asset');

    const fn = await t.lambda.send(new GetFunctionCommand({ FunctionName: outputs.FunctionName }));
    assert.equal(fn.Configuration!.Runtime, 'nodejs20.x');
    assert.equal(fn.Configuration!.Environment!.Variables!['TABLE_NAME'], outputs.TableName);
    assert.equal((await ddb.send(new DescribeTableCommand({ TableName: outputs.TableName }))).Table!.TableStatus, 'ACTIVE');

    const mappings = (await t.lambda.send(new ListEventSourceMappingsCommand({ FunctionName: outputs.FunctionName }))).EventSourceMappings!;
    assert.equal(mappings.length, 1);
    assert.equal(mappings[0]!.BatchSize, 5);
    await sqs.send(new SendMessageCommand({ QueueUrl: outputs.QueueUrl, MessageBody: 'first' }));
    const item = await waitForItem(outputs.TableName, 'msg#first');
    assert.deepEqual([item['greeting']?.S, item['source']?.S], ['hello', 'aws:sqs']);

    assert.deepEqual(await callUrl('/hi'), { greeting: 'hello', path: '/hi' });

    const rule = await events.send(new DescribeRuleCommand({ Name: outputs.RuleName }));
    assert.equal(rule.ScheduleExpression, 'rate(1 hour)');
    assert.equal(rule.State, 'ENABLED');
    const targets = (await events.send(new ListTargetsByRuleCommand({ Rule: outputs.RuleName }))).Targets!;
    assert.deepEqual(targets.map((x) => x.Arn), [fn.Configuration!.FunctionArn]);
    const policy = JSON.parse((await t.lambda.send(new GetPolicyCommand({ FunctionName: outputs.FunctionName }))).Policy!) as { Statement: { Principal: unknown; Condition?: unknown }[] };
    const principals = policy.Statement.map((s) => JSON.stringify(s.Principal));
    assert.ok(principals.some((p) => p.includes('events.amazonaws.com')), 'the rule may invoke the function');
  });

  it('an update: the new environment reaches the function, its URL and its queue trigger; nothing is replaced', async () => {
    const mappingBefore = (await t.lambda.send(new ListEventSourceMappingsCommand({ FunctionName: outputs.FunctionName }))).EventSourceMappings![0]!.UUID;
    const outputsFile = join(work, 'outputs-2.json');
    await cdk(['deploy', '--require-approval', 'never', '--outputs-file', outputsFile], { GREETING: 'bonjour' });
    assert.deepEqual((JSON.parse(readFileSync(outputsFile, 'utf8')) as Record<string, Outputs>)[STACK], outputs, 'the same function, URL, queue, table and rule');
    const mappings = (await t.lambda.send(new ListEventSourceMappingsCommand({ FunctionName: outputs.FunctionName }))).EventSourceMappings!;
    assert.deepEqual(mappings.map((m) => m.UUID), [mappingBefore]);
    const fn = await t.lambda.send(new GetFunctionCommand({ FunctionName: outputs.FunctionName }));
    assert.equal(fn.Configuration!.Environment!.Variables!['GREETING'], 'bonjour');
    assert.deepEqual(await callUrl('/again'), { greeting: 'bonjour', path: '/again' });
    await sqs.send(new SendMessageCommand({ QueueUrl: outputs.QueueUrl, MessageBody: 'second' }));
    assert.equal((await waitForItem(outputs.TableName, 'msg#second'))['greeting']?.S, 'bonjour');
  });

  it('cdk destroy: the stack and its function, queue, table, rule and trigger are gone', async () => {
    await cdk(['destroy', '--force']);
    await assert.rejects(cfn.send(new DescribeStacksCommand({ StackName: STACK })), /does not exist/);
    await assert.rejects(t.lambda.send(new GetFunctionCommand({ FunctionName: outputs.FunctionName })), { name: 'ResourceNotFoundException' });
    const queueName = outputs.QueueUrl.split('/').pop()!;
    await assert.rejects(sqs.send(new GetQueueUrlCommand({ QueueName: queueName })), (e: Error) => /NonExistentQueue|QueueDoesNotExist/.test(e.name));
    await assert.rejects(ddb.send(new DescribeTableCommand({ TableName: outputs.TableName })), { name: 'ResourceNotFoundException' });
    await assert.rejects(events.send(new DescribeRuleCommand({ Name: outputs.RuleName })), { name: 'ResourceNotFoundException' });
    assert.deepEqual((await t.lambda.send(new ListEventSourceMappingsCommand({}))).EventSourceMappings, []);
    // The bootstrap stack stays, as it does on AWS.
    assert.equal((await cfn.send(new DescribeStacksCommand({ StackName: 'CDKToolkit' }))).Stacks![0]!.StackStatus, 'CREATE_COMPLETE');
  });
});
