/**
 * Live Tail through the SDK v3 (StartLiveTail's event stream): a session starts with `sessionStart`,
 * then sends the lines written from then on (by PutLogEvents and by a real function) in
 * `sessionUpdate`s, filtered by stream and pattern; bad requests get CloudWatch Logs' errors, and a
 * session the client stops leaves nothing running. The operation's endpoint has a host prefix
 * (`stream-`), which a client pointed at a local endpoint turns off with `disableHostPrefix`.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  DescribeLogGroupsCommand,
  PutLogEventsCommand,
  StartLiveTailCommand,
  type LiveTailSessionLogEvent,
  type StartLiveTailResponseStream,
} from '@aws-sdk/client-cloudwatch-logs';
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { CREDENTIALS, createFunction, type TestPlatform } from '../helpers/platform.js';
import { platformSuite } from '../helpers/suite.js';

const DEADLINE_MS = 60_000;
const ACCOUNT = '000000000000';

type Session = AsyncIterator<StartLiveTailResponseStream>;

describe('Live Tail', () => {
  let t: TestPlatform;
  let tail: CloudWatchLogsClient;
  platformSuite(
    (p) => ({ tail: new CloudWatchLogsClient({ endpoint: p.platform.url, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1, disableHostPrefix: true }) }),
    (s) => ({ t, tail } = s),
  );

  const start = async (input: ConstructorParameters<typeof StartLiveTailCommand>[0]): Promise<{ session: Session; abort: AbortController }> => {
    const abort = new AbortController();
    const out = await tail.send(new StartLiveTailCommand(input), { abortSignal: abort.signal });
    return { session: out.responseStream![Symbol.asyncIterator](), abort };
  };

  const groupExists = async (logGroupName: string) => {
    const until = Date.now() + DEADLINE_MS;
    while (Date.now() < until) {
      const r = await t.logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: logGroupName }));
      if (r.logGroups?.some((g) => g.logGroupName === logGroupName)) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.fail(`${logGroupName} was never made`);
  };

  /** Reads updates until `want` events have come (or the deadline passes); returns them and how many updates it read. */
  const collect = async (session: Session, want: number): Promise<{ events: LiveTailSessionLogEvent[]; updates: number }> => {
    const events: LiveTailSessionLogEvent[] = [];
    let updates = 0;
    const until = Date.now() + DEADLINE_MS;
    while (events.length < want && Date.now() < until) {
      const next = await session.next();
      assert.equal(next.done, false, 'the stream went on');
      const update = next.value.sessionUpdate;
      assert.ok(update, `an update, not ${Object.keys(next.value).join()}`);
      assert.equal(update.sessionMetadata?.sampled, false);
      updates++;
      events.push(...(update.sessionResults ?? []));
    }
    return { events, updates };
  };

  it('sends the lines written after the session started, filtered by stream prefix and pattern', async () => {
    const logGroupName = '/app/orders';
    await t.logs.send(new CreateLogGroupCommand({ logGroupName }));
    for (const s of ['web-1', 'web-2', 'worker-1']) await t.logs.send(new CreateLogStreamCommand({ logGroupName, logStreamName: s }));
    const put = (logStreamName: string, ...messages: string[]) =>
      t.logs.send(new PutLogEventsCommand({ logGroupName, logStreamName, logEvents: messages.map((message) => ({ timestamp: Date.now(), message })) }));
    await put('web-1', 'ERROR written before the session');

    const identifier = `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:${logGroupName}`;
    const { session, abort } = await start({ logGroupIdentifiers: [identifier], logStreamNamePrefixes: ['web-'], logEventFilterPattern: 'ERROR' });
    const first = await session.next();
    const started = first.value?.sessionStart;
    assert.ok(started, 'the first event is sessionStart');
    assert.deepEqual(started.logGroupIdentifiers, [identifier]);
    assert.deepEqual(started.logStreamNamePrefixes, ['web-']);
    assert.equal(started.logEventFilterPattern, 'ERROR');
    assert.match(started.sessionId ?? '', /^[0-9a-f-]{36}$/);
    assert.ok(started.requestId);

    await put('web-1', 'ERROR one', 'INFO not this');
    await put('worker-1', 'ERROR not this stream');
    await put('web-2', 'ERROR two');
    const { events } = await collect(session, 2);
    assert.deepEqual(events.map((e) => [e.logStreamName, e.message, e.logGroupIdentifier]), [
      ['web-1', 'ERROR one', identifier],
      ['web-2', 'ERROR two', identifier],
    ]);
    for (const e of events) assert.ok(e.timestamp! > 0 && e.ingestionTime! >= e.timestamp! - 60_000);
    abort.abort();
  });

  it('sends a function’s own lines, with an update every second even when nothing was written', async () => {
    await createFunction(t.lambda, 'tailed', 'log-json');
    await t.lambda.send(new InvokeCommand({ FunctionName: 'tailed', Payload: JSON.stringify({ orders: [] }) })); // the group exists once the function has logged
    await groupExists('/aws/lambda/tailed');
    const { session, abort } = await start({ logGroupIdentifiers: ['/aws/lambda/tailed'], logEventFilterPattern: '{ $.type = "order" }' });
    assert.ok((await session.next()).value?.sessionStart);
    const quiet = await session.next();
    assert.deepEqual(quiet.value?.sessionUpdate?.sessionResults, [], 'an update with nothing in it');

    await t.lambda.send(new InvokeCommand({ FunctionName: 'tailed', Payload: JSON.stringify({ orders: [{ amount: 5, region: 'eu' }] }) }));
    const { events } = await collect(session, 1);
    assert.equal(events.length, 1);
    // Lambda's text format: time, request id, level, then what the function printed.
    const [, requestId, level, printed] = events[0]!.message!.split('\t');
    assert.match(requestId!, /^[0-9a-f-]{36}$/);
    assert.equal(level, 'INFO');
    assert.deepEqual(JSON.parse(printed!), { type: 'order', amount: 5, region: 'eu' });
    assert.match(events[0]!.logStreamName!, /^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\]/);
    abort.abort();
  });

  it('refuses what CloudWatch Logs refuses', async () => {
    const refused = async (input: ConstructorParameters<typeof StartLiveTailCommand>[0], name: string) => {
      await assert.rejects(tail.send(new StartLiveTailCommand(input)), (err: Error) => err.name === name);
    };
    await refused({ logGroupIdentifiers: ['/no/such/group'] }, 'ResourceNotFoundException');
    await t.logs.send(new CreateLogGroupCommand({ logGroupName: '/app/a' }));
    await t.logs.send(new CreateLogGroupCommand({ logGroupName: '/app/b' }));
    await refused({ logGroupIdentifiers: ['/app/a'], logStreamNames: ['s'], logStreamNamePrefixes: ['s'] }, 'InvalidParameterException');
    await refused({ logGroupIdentifiers: ['/app/a', '/app/b'], logStreamNames: ['s'] }, 'InvalidParameterException');
    await refused({ logGroupIdentifiers: [`arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/app/a:*`] }, 'ValidationException'); // the model's pattern
    await refused({ logGroupIdentifiers: ['/app/a'], logEventFilterPattern: '{ $.x = ' }, 'InvalidParameterException');
    await refused({ logGroupIdentifiers: [] }, 'ValidationException');
  });
});
