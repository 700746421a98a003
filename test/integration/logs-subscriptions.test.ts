/**
 * Subscription filters to Lambda: a real Node.js function, allowed by its resource policy to be invoked
 * by CloudWatch Logs, receives the matching events of another function's log group as CloudWatch sends
 * them (base64 of gzip of a DATA_MESSAGE), and decodes them. Loops are refused or bounded.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateLogGroupCommand,
  DeleteSubscriptionFilterCommand,
  DescribeSubscriptionFiltersCommand,
  FilterLogEventsCommand,
  PutSubscriptionFilterCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { AddPermissionCommand, InvokeCommand } from '@aws-sdk/client-lambda';
import { createFunction, startTestPlatform, type TestPlatform } from '../helpers/platform.js';

const DEADLINE_MS = 60_000;
const ACCOUNT = '000000000000';
const fnArn = (name: string) => `arn:aws:lambda:us-east-1:${ACCOUNT}:function:${name}`;
const groupArn = (name: string) => `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/aws/lambda/${name}:*`;

interface DataMessage {
  messageType: string;
  owner: string;
  logGroup: string;
  logStream: string;
  subscriptionFilters: string[];
  logEvents: { id: string; timestamp: number; message: string }[];
}

describe('subscription filters to Lambda', () => {
  let p: TestPlatform;
  before(async () => {
    p = await startTestPlatform();
  });
  after(() => p.stop());

  /** What a subscriber function logged it received, decoded. */
  const received = async (fn: string): Promise<DataMessage[]> => {
    const r = await p.logs.send(new FilterLogEventsCommand({ logGroupName: `/aws/lambda/${fn}`, filterPattern: '"RECEIVED"' }));
    return (r.events ?? []).map((e) => JSON.parse(e.message!.slice(e.message!.indexOf('RECEIVED ') + 9)) as DataMessage);
  };
  const receivedWhen = async (fn: string, ok: (m: DataMessage[]) => boolean): Promise<DataMessage[]> => {
    const until = Date.now() + DEADLINE_MS;
    for (;;) {
      const m = await received(fn);
      if (ok(m) || Date.now() > until) return m;
      await new Promise((r) => setTimeout(r, 200));
    }
  };
  const allow = (fn: string, from: string) =>
    p.lambda.send(new AddPermissionCommand({ FunctionName: fn, StatementId: `logs-${from}`, Action: 'lambda:InvokeFunction', Principal: 'logs.amazonaws.com', SourceArn: groupArn(from) }));
  const requestIdOf = (message: string) => /START RequestId: (\S+)/.exec(message)?.[1];

  it('delivers matching events of a log group to a function allowed to receive them', async () => {
    await createFunction(p.lambda, 'producer', 'log-json');
    await createFunction(p.lambda, 'subscriber', 'log-subscriber');
    const logGroupName = '/aws/lambda/producer';
    await p.logs.send(new CreateLogGroupCommand({ logGroupName }));
    const filter = { logGroupName, filterName: 'orders', filterPattern: '{ $.type = "order" }', destinationArn: fnArn('subscriber') };
    await assert.rejects(p.logs.send(new PutSubscriptionFilterCommand(filter)), (err: Error) => err.name === 'InvalidParameterException' && /given CloudWatch Logs permission/.test(err.message));
    await allow('subscriber', 'producer');
    await p.logs.send(new PutSubscriptionFilterCommand(filter));
    await assert.rejects(
      p.logs.send(new PutSubscriptionFilterCommand({ ...filter, destinationArn: 'arn:aws:kinesis:us-east-1:000000000000:stream/s' })),
      { name: 'InvalidParameterException' },
    );

    const described = await p.logs.send(new DescribeSubscriptionFiltersCommand({ logGroupName }));
    assert.deepEqual(described.subscriptionFilters?.map((f) => [f.filterName, f.logGroupName, f.filterPattern, f.destinationArn, f.distribution]), [
      ['orders', logGroupName, '{ $.type = "order" }', fnArn('subscriber'), 'ByLogStream'],
    ]);

    await p.lambda.send(new InvokeCommand({ FunctionName: 'producer', Payload: JSON.stringify({ orders: [{ amount: 3, region: 'eu' }, { amount: 4, region: 'us' }] }) }));
    const messages = await receivedWhen('subscriber', (m) => m.flatMap((x) => x.logEvents).length >= 2);
    const events = messages.flatMap((m) => m.logEvents);
    assert.equal(events.length, 2, 'only the order lines match');
    for (const m of messages) {
      assert.equal(m.messageType, 'DATA_MESSAGE');
      assert.equal(m.owner, ACCOUNT);
      assert.equal(m.logGroup, logGroupName);
      assert.match(m.logStream, /\[\$LATEST\]/);
      assert.deepEqual(m.subscriptionFilters, ['orders']);
    }
    assert.deepEqual(events.map((e) => JSON.parse(e.message.slice(e.message.indexOf('{')))), [
      { type: 'order', amount: 3, region: 'eu' },
      { type: 'order', amount: 4, region: 'us' },
    ]);
    assert.ok(events.every((e) => /^\d{56}$/.test(e.id) && e.timestamp > 0));
    assert.notEqual(events[0]!.id, events[1]!.id);

    await p.logs.send(new DeleteSubscriptionFilterCommand({ logGroupName, filterName: 'orders' }));
    assert.deepEqual((await p.logs.send(new DescribeSubscriptionFiltersCommand({ logGroupName }))).subscriptionFilters, []);
    await assert.rejects(p.logs.send(new DeleteSubscriptionFilterCommand({ logGroupName, filterName: 'orders' })), { name: 'ResourceNotFoundException' });
  });

  it('refuses a function subscribed to its own group, and never delivers the lines of a delivery', async () => {
    await createFunction(p.lambda, 'ping', 'log-subscriber');
    await createFunction(p.lambda, 'pong', 'log-subscriber');
    for (const fn of ['ping', 'pong']) await p.logs.send(new CreateLogGroupCommand({ logGroupName: `/aws/lambda/${fn}` }));
    await allow('ping', 'ping');
    await assert.rejects(
      p.logs.send(new PutSubscriptionFilterCommand({ logGroupName: '/aws/lambda/ping', filterName: 'self', filterPattern: '', destinationArn: fnArn('ping') })),
      (err: Error) => err.name === 'InvalidParameterException' && /own log group/.test(err.message),
    );
    // Each subscribed to the other's group, every line: without a bound, one line would bounce for ever.
    await allow('pong', 'ping');
    await allow('ping', 'pong');
    await p.logs.send(new PutSubscriptionFilterCommand({ logGroupName: '/aws/lambda/ping', filterName: 'all', filterPattern: '', destinationArn: fnArn('pong') }));
    await p.logs.send(new PutSubscriptionFilterCommand({ logGroupName: '/aws/lambda/pong', filterName: 'all', filterPattern: '', destinationArn: fnArn('ping') }));

    await p.lambda.send(new InvokeCommand({ FunctionName: 'ping', Payload: JSON.stringify({ serve: 1 }) }));
    const atPong = await receivedWhen('pong', (m) => m.flatMap((x) => x.logEvents).some((e) => e.message.startsWith('REPORT')));
    const pingRequest = atPong.flatMap((m) => m.logEvents).map((e) => requestIdOf(e.message)).find((id) => id !== undefined);
    assert.ok(pingRequest, 'pong received the lines of the direct invoke of ping');
    // A later direct invoke of pong is a gate: its lines reach ping through the same filters.
    await p.lambda.send(new InvokeCommand({ FunctionName: 'pong', Payload: JSON.stringify({ serve: 2 }) }));
    const atPing = await receivedWhen('ping', (m) => m.flatMap((x) => x.logEvents).some((e) => e.message.startsWith('REPORT')));
    const pongRequests = new Set(atPing.flatMap((m) => m.logEvents).map((e) => requestIdOf(e.message)).filter((id) => id !== undefined));
    assert.equal(pongRequests.size, 1, 'ping received the lines of the direct invoke of pong only, not those of pong handling a delivery');
    assert.ok(atPing.every((m) => m.logGroup === '/aws/lambda/pong'));
    const pongNow = await received('pong');
    assert.deepEqual(new Set(pongNow.flatMap((m) => m.logEvents).map((e) => requestIdOf(e.message)).filter((id) => id !== undefined)), new Set([pingRequest]));
  });
});
