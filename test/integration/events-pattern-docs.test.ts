/**
 * Every example of AWS's event-pattern documentation (test/fixtures/event-patterns/) through the
 * real server: EventBridge's TestEventPattern and PutRule, a Lambda SQS mapping's FilterCriteria
 * (the same matcher), and SNS subscription filter policies with their own documented examples.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CreateEventBusCommand, DeleteRuleCommand, EventBridgeClient, PutEventsCommand, PutRuleCommand, TestEventPatternCommand, type EventBridgeServiceException } from '@aws-sdk/client-eventbridge';
import { CreateEventSourceMappingCommand, DeleteEventSourceMappingCommand, GetEventSourceMappingCommand, UpdateEventSourceMappingCommand, type LambdaServiceException } from '@aws-sdk/client-lambda';
import { GetQueueAttributesCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { CreateTopicCommand, PublishCommand, SubscribeCommand, UnsubscribeCommand, type SNSClient } from '@aws-sdk/client-sns';
import { JsonNumber, parseJsonKeepingNumbers } from '../../src/event-sources/json-numbers.js';
import { INVALID_PATTERNS, PATTERN_EXAMPLES } from '../fixtures/event-patterns/eventbridge-docs.js';
import { INVALID_POLICIES, POLICY_EXAMPLES } from '../fixtures/event-patterns/sns-docs.js';
import { CREDENTIALS, createFunction, startTestPlatform, waitFor, type TestPlatform } from '../helpers/platform.js';
import { createQueue, receiveAll, snsClient } from '../helpers/sns.js';
import { sqsClient } from '../helpers/sqs.js';

/** JSON text of a value parsed by parseJsonKeepingNumbers, each number written as it was. */
const rawJson = (v: unknown): string =>
  v instanceof JsonNumber
    ? v.text
    : Array.isArray(v)
      ? `[${v.map(rawJson).join(',')}]`
      : v !== null && typeof v === 'object'
        ? `{${Object.entries(v).map(([k, x]) => `${JSON.stringify(k)}:${rawJson(x)}`).join(',')}}`
        : JSON.stringify(v);

describe('event patterns: the examples of AWS’s documentation', () => {
  let t: TestPlatform;
  let eb: EventBridgeClient;
  let sqs: SQSClient;
  let sns: SNSClient;

  before(async () => {
    t = await startTestPlatform();
    eb = new EventBridgeClient({ endpoint: t.platform.url, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1 });
    sqs = sqsClient(t.platform.url);
    sns = snsClient(t.platform.url);
  });
  after(async () => {
    eb.destroy();
    sqs.destroy();
    sns.destroy();
    await t.stop();
  });

  describe('TestEventPattern', () => {
    for (const ex of PATTERN_EXAMPLES) {
      it(`${ex.matches ? 'matches' : 'does not match'}: ${ex.name}`, async () => {
        const r = await eb.send(new TestEventPatternCommand({ EventPattern: ex.pattern, Event: ex.event }));
        assert.equal(r.Result, ex.matches);
      });
    }
  });

  it('rules on a bus route PutEvents entries as TestEventPattern says, for every example PutEvents can send', async () => {
    // PutEvents sets id, account, region and time itself: the examples whose patterns look only at
    // what an entry carries (source, detail-type, detail, resources) go through a real rule.
    const sendable = PATTERN_EXAMPLES.filter((ex) => Object.keys(JSON.parse(ex.pattern) as object).every((k) => ['source', 'detail-type', 'detail', 'resources'].includes(k)));
    assert.ok(sendable.length > PATTERN_EXAMPLES.length / 2, `${sendable.length} of ${PATTERN_EXAMPLES.length} examples`);
    await eb.send(new CreateEventBusCommand({ Name: 'docs' }));
    const matched = async (name: string) => {
      const rules = ((await (await fetch(`${t.platform.url}/_selfless/event-rules`)).json()) as { Rules: { EventBusName: string; Name: string; Matched: number }[] }).Rules;
      return rules.find((r) => r.EventBusName === 'docs' && r.Name === name)!.Matched;
    };
    const wrong: string[] = [];
    for (const [i, ex] of sendable.entries()) {
      const event = parseJsonKeepingNumbers(ex.event) as Record<string, unknown>;
      await eb.send(new PutRuleCommand({ Name: `docs-${i}`, EventBusName: 'docs', EventPattern: ex.pattern }));
      const put = await eb.send(
        new PutEventsCommand({
          Entries: [{ EventBusName: 'docs', Source: String(event['source']), DetailType: String(event['detail-type']), Detail: rawJson(event['detail'] ?? {}), Resources: event['resources'] as string[] }],
        }),
      );
      assert.equal(put.FailedEntryCount, 0, ex.name);
      // A rule counts its match before PutEvents answers.
      if ((await matched(`docs-${i}`)) !== (ex.matches ? 1 : 0)) wrong.push(ex.name);
      await eb.send(new DeleteRuleCommand({ Name: `docs-${i}`, EventBusName: 'docs' }));
    }
    assert.deepEqual(wrong, []);
  });

  it('TestEventPattern refuses an event without the fields its reference calls mandatory', async () => {
    const full = JSON.parse(PATTERN_EXAMPLES[0]!.event) as Record<string, unknown>;
    for (const field of ['id', 'account', 'source', 'time', 'region', 'resources', 'detail-type']) {
      const { [field]: _gone, ...rest } = full;
      await assert.rejects(eb.send(new TestEventPatternCommand({ EventPattern: '{"source":["aws.ec2"]}', Event: JSON.stringify(rest) })), { name: 'ValidationException' }, field);
    }
    assert.equal((await eb.send(new TestEventPatternCommand({ EventPattern: '{"source":["aws.ec2"]}', Event: JSON.stringify(full) }))).Result, true);
  });

  it('TestEventPattern and PutRule refuse the patterns the documentation makes invalid', async () => {
    const event = JSON.stringify({ version: '0', id: '1', 'detail-type': 't', source: 's', account: '123456789012', time: '2017-10-02T18:43:48Z', region: 'us-east-1', resources: [], detail: {} });
    const accepted: string[] = [];
    for (const ex of INVALID_PATTERNS) {
      const tested = await eb.send(new TestEventPatternCommand({ EventPattern: ex.pattern, Event: event })).then(
        () => undefined,
        (e: EventBridgeServiceException) => e,
      );
      const put = await eb.send(new PutRuleCommand({ Name: 'invalid-pattern', EventPattern: ex.pattern })).then(
        () => undefined,
        (e: EventBridgeServiceException) => e,
      );
      if (tested?.name !== 'InvalidEventPatternException' || put?.name !== 'InvalidEventPatternException') accepted.push(`${ex.name}: ${tested?.name ?? 'accepted'} / ${put?.name ?? 'accepted'}`);
    }
    assert.deepEqual(accepted, []);
  });

  it('a Lambda SQS mapping filters with the same matcher: every example, and every invalid pattern refused', async () => {
    const q = await createQueue(sqs, 'docs-esm');
    const results = await createQueue(sqs, 'docs-esm-results');
    await createFunction(t.lambda, 'docs-esm-fn', 'esm-record', { Environment: { Variables: { RESULTS_QUEUE: 'docs-esm-results' } } });
    // Lambda's filters for SQS look inside `body`: the documentation's pattern goes there, the event is the body.
    const filter = (pattern: string) => ({ Filters: [{ Pattern: `{"body":${pattern}}` }] });

    const refused: string[] = [];
    for (const ex of INVALID_PATTERNS.filter((e) => e.pattern.trim().startsWith('{') && e.name !== 'not JSON')) {
      const e = await t.lambda.send(new CreateEventSourceMappingCommand({ FunctionName: 'docs-esm-fn', EventSourceArn: q.arn, FilterCriteria: filter(ex.pattern) })).then(
        async (created) => void (await t.lambda.send(new DeleteEventSourceMappingCommand({ UUID: created.UUID }))),
        (err: LambdaServiceException) => err,
      );
      if (e?.name !== 'InvalidParameterValueException') refused.push(`${ex.name}: ${e?.name ?? 'accepted'}`);
    }

    const m = await t.lambda.send(new CreateEventSourceMappingCommand({ FunctionName: 'docs-esm-fn', EventSourceArn: q.arn, BatchSize: 1, FilterCriteria: filter(PATTERN_EXAMPLES[0]!.pattern) }));
    const settled = () => waitFor(async () => (await t.lambda.send(new GetEventSourceMappingCommand({ UUID: m.UUID }))).State === 'Enabled', 'mapping enabled');
    const drained = () =>
      waitFor(async () => {
        const a = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: q.url, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }));
        return a.Attributes!['ApproximateNumberOfMessages'] === '0' && a.Attributes!['ApproximateNumberOfMessagesNotVisible'] === '0';
      }, 'the queue to be drained');
    const wrong: string[] = [];
    for (const ex of PATTERN_EXAMPLES) {
      await t.lambda.send(new UpdateEventSourceMappingCommand({ UUID: m.UUID, FilterCriteria: filter(ex.pattern) }));
      await settled();
      await sqs.send(new SendMessageCommand({ QueueUrl: q.url, MessageBody: ex.event }));
      // A record that passes is written to the results queue before the mapping deletes it.
      await drained();
      const delivered = (await receiveAll(sqs, results.url)).length > 0;
      if (delivered !== ex.matches) wrong.push(ex.name);
    }
    assert.deepEqual({ refused, wrong }, { refused: [], wrong: [] });
  });

  it('SNS filter policies: every example of SNS’s documentation, through a real subscription', async () => {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'docs-policies' }));
    const wrong: string[] = [];
    for (const [i, ex] of POLICY_EXAMPLES.entries()) {
      const q = await createQueue(sqs, `docs-policy-${i}`);
      const { SubscriptionArn } = await sns.send(
        new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: q.arn, ReturnSubscriptionArn: true, Attributes: { FilterPolicy: ex.policy, FilterPolicyScope: ex.scope } }),
      );
      await sns.send(
        new PublishCommand({
          TopicArn,
          Message: ex.body ?? `example ${i}`,
          MessageAttributes: Object.fromEntries(Object.entries(ex.attributes ?? {}).map(([k, [DataType, StringValue]]) => [k, { DataType, StringValue }])),
        }),
      );
      // Publish answers once SQS deliveries are stored: what is not there now was filtered out.
      const got = await receiveAll(sqs, q.url);
      if ((got.length > 0) !== ex.delivered) wrong.push(ex.name);
      await sns.send(new UnsubscribeCommand({ SubscriptionArn }));
    }
    assert.deepEqual(wrong, []);
  });

  it('SNS refuses the filter policies its constraints make invalid', async () => {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'docs-invalid-policies' }));
    const q = await createQueue(sqs, 'docs-invalid-policy');
    const accepted: string[] = [];
    for (const ex of INVALID_POLICIES) {
      const e = await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: q.arn, Attributes: { FilterPolicy: ex.policy } })).then(
        () => undefined,
        (err: Error) => err,
      );
      if (e?.name !== 'InvalidParameterException') accepted.push(`${ex.name}: ${e?.name ?? 'accepted'}`);
    }
    assert.deepEqual(accepted, []);
  });
});
