/** EventBridge through real clients: buses, rules, patterns, PutEvents, targets, dead letters, the seeds' order flow. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateEventBusCommand,
  DeleteEventBusCommand,
  DeleteRuleCommand,
  DescribeEventBusCommand,
  DescribeRuleCommand,
  DisableRuleCommand,
  EnableRuleCommand,
  EventBridgeClient,
  ListEventBusesCommand,
  ListRulesCommand,
  ListTargetsByRuleCommand,
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
  RemoveTargetsCommand,
  TestEventPatternCommand,
  type EventBridgeServiceException,
} from '@aws-sdk/client-eventbridge';
import { AddPermissionCommand, InvokeCommand, PutFunctionEventInvokeConfigCommand } from '@aws-sdk/client-lambda';
import { CreateQueueCommand, DeleteQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, type Message, type SQSClient } from '@aws-sdk/client-sqs';
import { CREDENTIALS, createFunction, startTestPlatform, type TestPlatform } from '../helpers/platform.js';
import { run } from '../helpers/run.js';
import { sqsClient } from '../helpers/sqs.js';

const ACCOUNT = '000000000000';

describe('EventBridge', () => {
  let t: TestPlatform;
  let eb: EventBridgeClient;
  let sqs: SQSClient;

  before(async () => {
    t = await startTestPlatform({ asyncRetryScale: 0.001 });
    eb = new EventBridgeClient({ endpoint: t.platform.url, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1 });
    sqs = sqsClient(t.platform.url);
  });
  after(async () => {
    eb.destroy();
    sqs.destroy();
    await t.stop();
  });

  const fail = (p: Promise<unknown>) =>
    p.then(
      () => assert.fail('expected the call to fail'),
      (e: EventBridgeServiceException) => e,
    );

  async function queue(name: string, attributes: Record<string, string> = {}): Promise<{ url: string; arn: string }> {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
    return { url: QueueUrl!, arn: Attributes!['QueueArn']! };
  }

  /** Long-polls until `count` messages arrived (generous deadline: the machine may be slow). */
  async function receive(url: string, count = 1, deadlineMs = 60_000): Promise<Message[]> {
    const got: Message[] = [];
    const end = Date.now() + deadlineMs;
    while (got.length < count && Date.now() < end) {
      const r = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 2, MessageAttributeNames: ['All'], AttributeNames: ['All'] }));
      got.push(...(r.Messages ?? []));
    }
    assert.equal(got.length, count, `expected ${count} message(s) on ${url}`);
    return got;
  }

  it('event buses: the default one, custom ones created, described, listed and deleted', async () => {
    const def = await eb.send(new DescribeEventBusCommand({}));
    assert.equal(def.Name, 'default');
    assert.equal(def.Arn, `arn:aws:events:us-east-1:${ACCOUNT}:event-bus/default`);
    const created = await eb.send(new CreateEventBusCommand({ Name: 'bus-crud', Description: 'for tests' }));
    assert.equal(created.EventBusArn, `arn:aws:events:us-east-1:${ACCOUNT}:event-bus/bus-crud`);
    const described = await eb.send(new DescribeEventBusCommand({ Name: created.EventBusArn }));
    assert.equal(described.Description, 'for tests');
    assert.ok(described.CreationTime instanceof Date);
    assert.equal((await fail(eb.send(new CreateEventBusCommand({ Name: 'bus-crud' })))).name, 'ResourceAlreadyExistsException');
    const listed = await eb.send(new ListEventBusesCommand({ NamePrefix: 'bus-c' }));
    assert.deepEqual(listed.EventBuses?.map((b) => b.Name), ['bus-crud']);
    const del = await fail(eb.send(new DeleteEventBusCommand({ Name: 'default' })));
    assert.equal(del.name, 'ValidationException');
    await eb.send(new DeleteEventBusCommand({ Name: 'bus-crud' }));
    const gone = await fail(eb.send(new DescribeEventBusCommand({ Name: 'bus-crud' })));
    assert.equal(gone.name, 'ResourceNotFoundException');
    assert.equal(gone.$metadata.httpStatusCode, 400);
  });

  it('rules: put, describe, list, disable, enable, delete; bad patterns refused', async () => {
    const pattern = JSON.stringify({ source: ['shop'] });
    const { RuleArn } = await eb.send(new PutRuleCommand({ Name: 'rule-crud', EventPattern: pattern, Description: 'd' }));
    assert.equal(RuleArn, `arn:aws:events:us-east-1:${ACCOUNT}:rule/rule-crud`);
    await eb.send(new DisableRuleCommand({ Name: 'rule-crud' }));
    const d = await eb.send(new DescribeRuleCommand({ Name: 'rule-crud' }));
    assert.deepEqual([d.State, d.EventPattern, d.Description, d.EventBusName, d.CreatedBy], ['DISABLED', pattern, 'd', 'default', ACCOUNT]);
    await eb.send(new EnableRuleCommand({ Name: 'rule-crud' }));
    assert.equal((await eb.send(new DescribeRuleCommand({ Name: 'rule-crud' }))).State, 'ENABLED');
    assert.deepEqual((await eb.send(new ListRulesCommand({ NamePrefix: 'rule-c' }))).Rules?.map((r) => r.Name), ['rule-crud']);

    const bad = await fail(eb.send(new PutRuleCommand({ Name: 'bad', EventPattern: '{"source":"not-a-list"}' })));
    assert.equal(bad.name, 'InvalidEventPatternException');
    const scheduled = await fail(eb.send(new PutRuleCommand({ Name: 'cron', EventBusName: 'no-such-bus', ScheduleExpression: 'rate(1 minute)' })));
    assert.equal(scheduled.name, 'ValidationException', 'schedules run on the default bus only');
    const missing = await fail(eb.send(new EnableRuleCommand({ Name: 'nope' })));
    assert.equal(missing.name, 'ResourceNotFoundException');
    const noBus = await fail(eb.send(new PutRuleCommand({ Name: 'x', EventPattern: pattern, EventBusName: 'no-such-bus' })));
    assert.equal(noBus.name, 'ResourceNotFoundException');

    await eb.send(new PutTargetsCommand({ Rule: 'rule-crud', Targets: [{ Id: 'q', Arn: `arn:aws:sqs:us-east-1:${ACCOUNT}:whatever` }] }));
    assert.equal((await fail(eb.send(new DeleteRuleCommand({ Name: 'rule-crud' })))).name, 'ValidationException');
    await eb.send(new RemoveTargetsCommand({ Rule: 'rule-crud', Ids: ['q'] }));
    await eb.send(new DeleteRuleCommand({ Name: 'rule-crud' }));
    assert.equal((await fail(eb.send(new DescribeRuleCommand({ Name: 'rule-crud' })))).name, 'ResourceNotFoundException');
  });

  it('TestEventPattern exposes the matcher', async () => {
    const event = JSON.stringify({ id: '1', account: ACCOUNT, source: 'shop', time: '2026-01-01T00:00:00Z', region: 'us-east-1', 'detail-type': 'OrderPlaced', resources: [], detail: { total: 120, currency: 'EUR' } });
    const test = (p: unknown) => eb.send(new TestEventPatternCommand({ EventPattern: JSON.stringify(p), Event: event })).then((r) => r.Result);
    assert.equal(await test({ detail: { total: [{ numeric: ['>', 100] }], currency: [{ 'equals-ignore-case': 'eur' }] } }), true);
    assert.equal(await test({ detail: { total: [{ numeric: ['<', 100] }] } }), false);
    assert.equal((await fail(test({ detail: { total: [{ numeric: ['>'] }] } }))).name, 'InvalidEventPatternException');
    // Each operator of the pattern language, matching and not, through the SDK.
    const each: [unknown, boolean][] = [
      [{ source: ['shop'] }, true],
      [{ source: ['bank'] }, false],
      [{ source: [{ prefix: 'sh' }] }, true],
      [{ source: [{ prefix: 'ba' }] }, false],
      [{ source: [{ suffix: 'op' }] }, true],
      [{ source: [{ suffix: 'nk' }] }, false],
      [{ source: [{ 'anything-but': ['bank'] }] }, true],
      [{ source: [{ 'anything-but': { prefix: 'sh' } }] }, false],
      [{ detail: { currency: [{ 'equals-ignore-case': 'EuR' }] } }, true],
      [{ detail: { total: [{ numeric: ['>=', 100, '<', 200] }] } }, true],
      [{ detail: { total: [{ numeric: ['=', 121] }] } }, false],
      [{ detail: { currency: [{ exists: true }] } }, true],
      [{ detail: { coupon: [{ exists: true }] } }, false],
      [{ detail: { coupon: [{ exists: false }] } }, true],
      [{ 'detail-type': [{ wildcard: 'Order*' }] }, true],
      [{ 'detail-type': [{ wildcard: '*Shipped' }] }, false],
      [{ detail: { ip: [{ cidr: '10.0.0.0/24' }] } }, true],
      [{ detail: { ip: [{ cidr: '10.0.1.0/24' }] } }, false],
      [{ detail: { coupon: [null] } }, false],
      [{ $or: [{ source: ['bank'] }, { detail: { total: [120] } }] }, true],
      [{ $or: [{ source: ['bank'] }, { detail: { total: [121] } }] }, false],
    ];
    const withIp = JSON.stringify({ ...JSON.parse(event), detail: { total: 120, currency: 'EUR', ip: '10.0.0.7' } });
    for (const [p, expected] of each) {
      const r = await eb.send(new TestEventPatternCommand({ EventPattern: JSON.stringify(p), Event: withIp }));
      assert.equal(r.Result, expected, JSON.stringify(p));
    }
    const notEvent = await fail(eb.send(new TestEventPatternCommand({ EventPattern: '{"source":["a"]}', Event: '{"source":"a"}' })));
    assert.equal(notEvent.name, 'ValidationException');
  });

  it('PutEvents: per-entry results and errors; matching events reach a queue in the envelope', async () => {
    const q = await queue('eb-envelope');
    await eb.send(new CreateEventBusCommand({ Name: 'envelope' }));
    await eb.send(new PutRuleCommand({ Name: 'big-orders', EventBusName: 'envelope', EventPattern: JSON.stringify({ source: ['shop'], detail: { total: [{ numeric: ['>=', 100] }] } }) }));
    const put = await eb.send(new PutTargetsCommand({ Rule: 'big-orders', EventBusName: 'envelope', Targets: [{ Id: 'q', Arn: q.arn }, { Id: 'sfn', Arn: `arn:aws:states:us-east-1:${ACCOUNT}:stateMachine:sm` }] }));
    assert.equal(put.FailedEntryCount, 1);
    assert.equal(put.FailedEntries?.[0]?.TargetId, 'sfn');

    const time = new Date('2026-03-01T12:00:00Z');
    const res = await eb.send(
      new PutEventsCommand({
        Entries: [
          { EventBusName: 'envelope', Source: 'shop', DetailType: 'OrderPlaced', Detail: '{"total":150}', Resources: ['arn:x'], Time: time },
          { EventBusName: 'envelope', Source: 'shop', DetailType: 'OrderPlaced', Detail: '{"total":5}' },
          { EventBusName: 'envelope', Source: 'shop', DetailType: 'OrderPlaced' },
          { EventBusName: 'envelope', Source: 'shop', DetailType: 'OrderPlaced', Detail: '[1]' },
          { EventBusName: 'no-such-bus', Source: 'shop', DetailType: 'OrderPlaced', Detail: '{}' },
        ],
      }),
    );
    assert.equal(res.FailedEntryCount, 3);
    assert.match(res.Entries![0]!.EventId!, /^[0-9a-f-]{36}$/);
    assert.ok(res.Entries![1]!.EventId);
    assert.deepEqual(res.Entries!.slice(2).map((e) => e.ErrorCode), ['InvalidArgument', 'InvalidArgument', 'ResourceNotFoundException']);

    const [msg] = await receive(q.url);
    assert.deepEqual(JSON.parse(msg!.Body!), {
      version: '0',
      id: res.Entries![0]!.EventId,
      'detail-type': 'OrderPlaced',
      source: 'shop',
      account: ACCOUNT,
      time: '2026-03-01T12:00:00Z',
      region: 'us-east-1',
      resources: ['arn:x'],
      detail: { total: 150 },
    });
    const tooBig = await fail(eb.send(new PutEventsCommand({ Entries: [{ Source: 's', DetailType: 't', Detail: JSON.stringify({ x: 'a'.repeat(1024 * 1024) }) }] })));
    assert.equal(tooBig.name, 'ValidationException');
  });

  it('Input, InputPath and InputTransformer shape what targets get; a FIFO queue gets the message group', async () => {
    const q = await queue('eb-inputs');
    const fifo = await queue('eb-inputs.fifo', { FifoQueue: 'true' });
    await eb.send(new PutRuleCommand({ Name: 'inputs', EventPattern: JSON.stringify({ source: ['inputs'] }) }));
    const transformer = { InputPathsMap: { id: '$.detail.orderId', total: '$.detail.total' }, InputTemplate: '{"order": <id>, "text": "order <id> costs <total>", "rule": "<aws.events.rule-name>"}' };
    const put = await eb.send(
      new PutTargetsCommand({
        Rule: 'inputs',
        Targets: [
          { Id: 'constant', Arn: q.arn, Input: '{"fixed":true}' },
          { Id: 'path', Arn: q.arn, InputPath: '$.detail.items' },
          { Id: 'transformer', Arn: q.arn, InputTransformer: transformer },
          { Id: 'fifo', Arn: fifo.arn, SqsParameters: { MessageGroupId: 'orders' } },
        ],
      }),
    );
    assert.equal(put.FailedEntryCount, 0);
    const noGroup = await eb.send(new PutTargetsCommand({ Rule: 'inputs', Targets: [{ Id: 'fifo2', Arn: fifo.arn }] }));
    assert.equal(noGroup.FailedEntryCount, 1);
    const listed = await eb.send(new ListTargetsByRuleCommand({ Rule: 'inputs' }));
    assert.deepEqual(listed.Targets?.find((x) => x.Id === 'transformer')?.InputTransformer, transformer);

    const { Entries } = await eb.send(new PutEventsCommand({ Entries: [{ Source: 'inputs', DetailType: 'x', Detail: JSON.stringify({ orderId: 'o-1', total: 42, items: ['a', 'b'] }) }] }));
    const bodies = (await receive(q.url, 3)).map((m) => JSON.parse(m.Body!) as unknown);
    assert.deepEqual(new Set(bodies.map((b) => JSON.stringify(b))), new Set([JSON.stringify({ fixed: true }), JSON.stringify(['a', 'b']), JSON.stringify({ order: 'o-1', text: 'order o-1 costs 42', rule: 'inputs' })]));
    const [f] = await receive(fifo.url);
    assert.equal(f!.Attributes?.['MessageGroupId'], 'orders');
    assert.equal(f!.Attributes?.['MessageDeduplicationId'], Entries![0]!.EventId);
  });

  it('dead letters: a function that does not allow EventBridge, and a queue that is gone, with the error attributes', async () => {
    const dlq = await queue('eb-dlq');
    const gone = await queue('eb-gone');
    await sqs.send(new DeleteQueueCommand({ QueueUrl: gone.url }));
    await createFunction(t.lambda, 'eb-unpermitted', 'echo');
    await eb.send(new PutRuleCommand({ Name: 'dead', EventPattern: JSON.stringify({ source: ['dead'] }) }));
    const fnArn = `arn:aws:lambda:us-east-1:${ACCOUNT}:function:eb-unpermitted`;
    await eb.send(
      new PutTargetsCommand({
        Rule: 'dead',
        Targets: [
          { Id: 'fn', Arn: fnArn, DeadLetterConfig: { Arn: dlq.arn }, RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 60 } },
          { Id: 'q', Arn: gone.arn, DeadLetterConfig: { Arn: dlq.arn } },
        ],
      }),
    );
    const { Entries } = await eb.send(new PutEventsCommand({ Entries: [{ Source: 'dead', DetailType: 'x', Detail: '{"n":1}' }] }));
    const letters = await receive(dlq.url, 2);
    const byTarget = new Map(letters.map((m) => [m.MessageAttributes?.['TARGET_ARN']?.StringValue, m]));
    const fn = byTarget.get(fnArn)!;
    assert.equal(JSON.parse(fn.Body!).id, Entries![0]!.EventId);
    assert.equal(fn.MessageAttributes?.['ERROR_CODE']?.StringValue, 'NO_PERMISSIONS');
    assert.equal(fn.MessageAttributes?.['RULE_ARN']?.StringValue, `arn:aws:events:us-east-1:${ACCOUNT}:rule/dead`);
    assert.equal(fn.MessageAttributes?.['RETRY_ATTEMPTS']?.StringValue, '0');
    assert.equal(byTarget.get(gone.arn)?.MessageAttributes?.['ERROR_CODE']?.StringValue, 'RESOURCE_NOT_FOUND');
  });

  it("a Lambda target that fails: the function's own asynchronous retries run (scaled down), then its on-failure destination gets the event", async () => {
    const failures = await queue('eb-fn-failures');
    await createFunction(t.lambda, 'eb-failing', 'async-flaky', { Environment: { Variables: { FAIL: '1' } } });
    await t.lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'eb-failing', MaximumRetryAttempts: 1, DestinationConfig: { OnFailure: { Destination: failures.arn } } }));
    const { RuleArn } = await eb.send(new PutRuleCommand({ Name: 'to-failing', EventPattern: JSON.stringify({ source: ['failing'] }) }));
    await t.lambda.send(new AddPermissionCommand({ FunctionName: 'eb-failing', StatementId: 'events', Action: 'lambda:InvokeFunction', Principal: 'events.amazonaws.com', SourceArn: RuleArn }));
    await eb.send(new PutTargetsCommand({ Rule: 'to-failing', Targets: [{ Id: 'fn', Arn: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:eb-failing` }] }));
    const { Entries } = await eb.send(new PutEventsCommand({ Entries: [{ Source: 'failing', DetailType: 'x', Detail: '{"n":7}' }] }));
    const [m] = await receive(failures.url);
    const record = JSON.parse(m!.Body!) as { requestContext: { condition: string; approximateInvokeCount: number }; requestPayload: { id: string; detail: unknown } };
    assert.equal(record.requestContext.condition, 'RetriesExhausted');
    assert.equal(record.requestContext.approximateInvokeCount, 2);
    assert.deepEqual([record.requestPayload.id, record.requestPayload.detail], [Entries![0]!.EventId, { n: 7 }]);
  });

  it("the seeds' order flow: a function puts OrderPlaced on a custom bus; a rule routes it to a confirmation function and a queue", async () => {
    const confirmations = await queue('eb-confirmations');
    const audit = await queue('eb-order-audit');
    await eb.send(new CreateEventBusCommand({ Name: 'orders' }));
    await createFunction(t.lambda, 'eb-place-order', 'events-order', { Environment: { Variables: { ORDERS_BUS: 'orders' } } });
    await createFunction(t.lambda, 'eb-confirm', 'events-confirm', { Environment: { Variables: { CONFIRMATIONS_QUEUE_URL: confirmations.url } } });
    const { RuleArn } = await eb.send(new PutRuleCommand({ Name: 'order-placed', EventBusName: 'orders', EventPattern: JSON.stringify({ source: ['shop.orders'], 'detail-type': ['OrderPlaced'] }) }));
    await t.lambda.send(new AddPermissionCommand({ FunctionName: 'eb-confirm', StatementId: 'events', Action: 'lambda:InvokeFunction', Principal: 'events.amazonaws.com', SourceArn: RuleArn }));
    await eb.send(
      new PutTargetsCommand({
        Rule: 'order-placed',
        EventBusName: 'orders',
        Targets: [
          { Id: 'confirm', Arn: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:eb-confirm` },
          { Id: 'audit', Arn: audit.arn },
        ],
      }),
    );
    const placed = await t.lambda.send(new InvokeCommand({ FunctionName: 'eb-place-order', Payload: Buffer.from(JSON.stringify({ orderId: 'o-42', email: 'a@example.com' })) }));
    assert.equal(placed.FunctionError, undefined, Buffer.from(placed.Payload ?? []).toString());
    const { eventId } = JSON.parse(Buffer.from(placed.Payload!).toString()) as { eventId: string };

    const [confirmation] = await receive(confirmations.url);
    const confirmed = JSON.parse(confirmation!.Body!) as { id: string; 'detail-type': string; detail: unknown };
    assert.deepEqual([confirmed.id, confirmed['detail-type'], confirmed.detail], [eventId, 'OrderPlaced', { orderId: 'o-42', email: 'a@example.com' }]);
    const [audited] = await receive(audit.url);
    assert.equal(JSON.parse(audited!.Body!).id, eventId);
  });

  it('boto3: a bus, a rule with an input transformer, put_events, and the queue gets the result', async () => {
    const q = await queue('eb-boto3');
    const script = `
import boto3, json, sys
kw = dict(endpoint_url=sys.argv[1], region_name='us-east-1', aws_access_key_id='test', aws_secret_access_key='test')
eb = boto3.client('events', **kw)
eb.create_event_bus(Name='py-bus')
arn = eb.put_rule(Name='py-rule', EventBusName='py-bus', EventPattern=json.dumps({'source': [{'prefix': 'py.'}]}))['RuleArn']
eb.put_targets(Rule='py-rule', EventBusName='py-bus', Targets=[{'Id': 'q', 'Arn': sys.argv[2], 'InputTransformer': {'InputPathsMap': {'who': '$.detail.who'}, 'InputTemplate': '"hello <who>"'}}])
out = eb.put_events(Entries=[{'EventBusName': 'py-bus', 'Source': 'py.app', 'DetailType': 'greet', 'Detail': json.dumps({'who': 'boto3'})}])
rules = [r['Name'] for r in eb.list_rules(EventBusName='py-bus')['Rules']]
print(json.dumps({'arn': arn, 'failed': out['FailedEntryCount'], 'rules': rules}))
`;
    const res = await run('python3', ['-c', script, t.platform.url, q.arn]);
    assert.equal(res.code, 0, res.stderr);
    assert.deepEqual(JSON.parse(res.stdout), { arn: `arn:aws:events:us-east-1:${ACCOUNT}:rule/py-bus/py-rule`, failed: 0, rules: ['py-rule'] });
    const [msg] = await receive(q.url);
    assert.equal(msg!.Body, '"hello boto3"');
  });

  it('the aws CLI: put-rule and test-event-pattern', async () => {
    const cli = (...args: string[]) => run('aws', ['--endpoint-url', t.platform.url, '--output', 'json', 'events', ...args]);
    const rule = await cli('put-rule', '--name', 'cli-rule', '--event-pattern', '{"source":["cli"]}');
    assert.equal(rule.code, 0, rule.stderr);
    assert.equal(JSON.parse(rule.stdout).RuleArn, `arn:aws:events:us-east-1:${ACCOUNT}:rule/cli-rule`);
    const test = await cli('test-event-pattern', '--event-pattern', '{"source":["cli"]}', '--event', JSON.stringify({ id: '1', account: ACCOUNT, source: 'cli', time: '2026-01-01T00:00:00Z', region: 'us-east-1', 'detail-type': 'x', resources: [], detail: {} }));
    assert.equal(test.code, 0, test.stderr);
    assert.equal(JSON.parse(test.stdout).Result, true);
  });
});
