/**
 * Log groups and streams written by callers: CreateLogGroup/CreateLogStream/PutLogEvents with AWS's
 * batch rules, read back by GetLogEvents and FilterLogEvents like function logs; DeleteLogStream,
 * tags, and DescribeLogGroups by prefix and pattern. Through the SDK v3, and boto3 for one round trip.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  DeleteLogGroupCommand,
  DeleteLogStreamCommand,
  DescribeLogGroupsCommand,
  DescribeLogStreamsCommand,
  FilterLogEventsCommand,
  GetLogEventsCommand,
  ListTagsForResourceCommand,
  ListTagsLogGroupCommand,
  PutLogEventsCommand,
  TagLogGroupCommand,
  TagResourceCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { run } from '../helpers/run.js';
import { startTestPlatform, type TestPlatform } from '../helpers/platform.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe('log streams written by callers', () => {
  let p: TestPlatform;
  before(async () => {
    p = await startTestPlatform();
  });
  after(() => p.stop());

  const rejects = async (promise: Promise<unknown>, name: string, message?: RegExp) => {
    await assert.rejects(promise, (err: Error) => {
      assert.equal(err.name, name);
      if (message) assert.match(err.message, message);
      return true;
    });
  };

  it('writes events into a stream made by CreateLogStream and reads them back', async () => {
    const logGroupName = '/app/orders';
    await rejects(p.logs.send(new CreateLogStreamCommand({ logGroupName, logStreamName: 'web-1' })), 'ResourceNotFoundException', /log group does not exist/);
    await p.logs.send(new CreateLogGroupCommand({ logGroupName }));
    await rejects(p.logs.send(new CreateLogGroupCommand({ logGroupName })), 'ResourceAlreadyExistsException');
    await rejects(
      p.logs.send(new PutLogEventsCommand({ logGroupName, logStreamName: 'web-1', logEvents: [{ timestamp: Date.now(), message: 'x' }] })),
      'ResourceNotFoundException',
      /log stream does not exist/,
    );
    await p.logs.send(new CreateLogStreamCommand({ logGroupName, logStreamName: 'web-1' }));
    await rejects(p.logs.send(new CreateLogStreamCommand({ logGroupName, logStreamName: 'web-1' })), 'ResourceAlreadyExistsException', /log stream already exists/);
    await rejects(p.logs.send(new CreateLogStreamCommand({ logGroupName, logStreamName: 'a:b' })), 'ValidationException');

    const empty = await p.logs.send(new DescribeLogStreamsCommand({ logGroupName }));
    assert.equal(empty.logStreams?.length, 1);
    assert.equal(empty.logStreams?.[0]?.logStreamName, 'web-1');
    assert.equal(empty.logStreams?.[0]?.firstEventTimestamp, undefined);
    assert.ok((empty.logStreams?.[0]?.creationTime ?? 0) > 0);

    const t0 = Date.now() - 60_000;
    const put = await p.logs.send(
      new PutLogEventsCommand({
        logGroupName,
        logStreamName: 'web-1',
        logEvents: [
          { timestamp: t0, message: 'order 1 placed' },
          { timestamp: t0 + 1, message: 'ERROR order 2 failed' },
          { timestamp: t0 + 2, message: '{"level":"info","order":3}' },
        ],
      }),
    );
    assert.equal(put.rejectedLogEventsInfo, undefined);

    const got = await p.logs.send(new GetLogEventsCommand({ logGroupName, logStreamName: 'web-1' }));
    assert.deepEqual(got.events?.map((e) => [e.timestamp, e.message]), [
      [t0, 'order 1 placed\n'],
      [t0 + 1, 'ERROR order 2 failed\n'],
      [t0 + 2, '{"level":"info","order":3}\n'],
    ]);
    const errors = await p.logs.send(new FilterLogEventsCommand({ logGroupName, filterPattern: 'ERROR' }));
    assert.deepEqual(errors.events?.map((e) => [e.logStreamName, e.message]), [['web-1', 'ERROR order 2 failed\n']]);
    const json = await p.logs.send(new FilterLogEventsCommand({ logGroupName, filterPattern: '{ $.order = 3 }' }));
    assert.equal(json.events?.length, 1);

    const streams = await p.logs.send(new DescribeLogStreamsCommand({ logGroupName }));
    assert.deepEqual(streams.logStreams?.map((s) => [s.logStreamName, s.firstEventTimestamp, s.lastEventTimestamp]), [['web-1', t0, t0 + 2]]);
    assert.equal(streams.logStreams?.[0]?.arn, `arn:aws:logs:us-east-1:000000000000:log-group:/app/orders:log-stream:web-1`);
  });

  it('sets aside events too old or too new by index and refuses a batch out of order or too large', async () => {
    const logGroupName = 'rules';
    await p.logs.send(new CreateLogGroupCommand({ logGroupName }));
    await p.logs.send(new CreateLogStreamCommand({ logGroupName, logStreamName: 's' }));
    const now = Date.now();
    const old = await p.logs.send(
      new PutLogEventsCommand({
        logGroupName,
        logStreamName: 's',
        logEvents: [
          { timestamp: now - 15 * DAY, message: 'too old 0' },
          { timestamp: now - 15 * DAY + 1, message: 'too old 1' },
        ],
      }),
    );
    assert.deepEqual(old.rejectedLogEventsInfo, { tooOldLogEventEndIndex: 1 });
    const mixed = await p.logs.send(
      new PutLogEventsCommand({
        logGroupName,
        logStreamName: 's',
        logEvents: [
          { timestamp: now - HOUR, message: 'kept 0' },
          { timestamp: now, message: 'kept 1' },
          { timestamp: now + 3 * HOUR, message: 'too new 2' },
        ],
      }),
    );
    assert.deepEqual(mixed.rejectedLogEventsInfo, { tooNewLogEventStartIndex: 2 });

    await rejects(
      p.logs.send(new PutLogEventsCommand({ logGroupName, logStreamName: 's', logEvents: [{ timestamp: now, message: 'b' }, { timestamp: now - 1, message: 'a' }] })),
      'InvalidParameterException',
      /chronological order/,
    );
    const big = 'x'.repeat(300_000);
    await rejects(
      p.logs.send(new PutLogEventsCommand({ logGroupName, logStreamName: 's', logEvents: [0, 1, 2, 3].map((i) => ({ timestamp: now + i, message: big })) })),
      'InvalidParameterException',
      /Upload too large: 1200104 bytes exceeds limit of 1048576/,
    );
    const all = await p.logs.send(new GetLogEventsCommand({ logGroupName, logStreamName: 's' }));
    assert.deepEqual(all.events?.map((e) => e.message), ['kept 0\n', 'kept 1\n']);
  });

  it('deletes a stream with its events', async () => {
    const logGroupName = '/app/gone';
    await p.logs.send(new CreateLogGroupCommand({ logGroupName }));
    for (const logStreamName of ['a', 'b']) {
      await p.logs.send(new CreateLogStreamCommand({ logGroupName, logStreamName }));
      await p.logs.send(new PutLogEventsCommand({ logGroupName, logStreamName, logEvents: [{ timestamp: Date.now(), message: `in ${logStreamName}` }] }));
    }
    await p.logs.send(new DeleteLogStreamCommand({ logGroupName, logStreamName: 'a' }));
    await rejects(p.logs.send(new DeleteLogStreamCommand({ logGroupName, logStreamName: 'a' })), 'ResourceNotFoundException', /log stream does not exist/);
    const left = await p.logs.send(new FilterLogEventsCommand({ logGroupName }));
    assert.deepEqual(left.events?.map((e) => e.message), ['in b\n']);
    const streams = await p.logs.send(new DescribeLogStreamsCommand({ logGroupName }));
    assert.deepEqual(streams.logStreams?.map((s) => s.logStreamName), ['b']);
    await p.logs.send(new DeleteLogGroupCommand({ logGroupName }));
    await rejects(p.logs.send(new DeleteLogStreamCommand({ logGroupName, logStreamName: 'b' })), 'ResourceNotFoundException', /log group does not exist/);
  });

  it('tags any group and lists groups by prefix, by pattern and page by page', async () => {
    await p.logs.send(new CreateLogGroupCommand({ logGroupName: '/web/Frontend', tags: { team: 'web' } }));
    await p.logs.send(new CreateLogGroupCommand({ logGroupName: '/web/backend' }));
    const arn = 'arn:aws:logs:us-east-1:000000000000:log-group:/web/backend';
    await p.logs.send(new TagResourceCommand({ resourceArn: arn, tags: { team: 'api', tier: '1' } }));
    await p.logs.send(new UntagResourceCommand({ resourceArn: arn, tagKeys: ['tier'] }));
    assert.deepEqual((await p.logs.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags, { team: 'api' });
    await p.logs.send(new TagLogGroupCommand({ logGroupName: '/web/Frontend', tags: { cost: 'c1' } }));
    assert.deepEqual((await p.logs.send(new ListTagsLogGroupCommand({ logGroupName: '/web/Frontend' }))).tags, { team: 'web', cost: 'c1' });

    const names = async (input: object) => (await p.logs.send(new DescribeLogGroupsCommand(input))).logGroups?.map((g) => g.logGroupName);
    assert.deepEqual(await names({ logGroupNamePrefix: '/web/' }), ['/web/Frontend', '/web/backend']);
    assert.deepEqual(await names({ logGroupNamePattern: 'FRONT' }), ['/web/Frontend'], 'a pattern matches anywhere, ignoring case');
    assert.deepEqual(await names({ logGroupNamePattern: 'end' }), ['/web/Frontend', '/web/backend']);
    await rejects(p.logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/web', logGroupNamePattern: 'web' })), 'InvalidParameterException');
    const first = await p.logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/web/', limit: 1 }));
    assert.deepEqual(first.logGroups?.map((g) => g.logGroupName), ['/web/Frontend']);
    const second = await p.logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/web/', limit: 1, nextToken: first.nextToken }));
    assert.deepEqual(second.logGroups?.map((g) => g.logGroupName), ['/web/backend']);
    assert.equal(second.nextToken, undefined);
  });

  it('boto3 writes and reads a stream', async () => {
    const script = `
import sys, time, boto3
c = boto3.client('logs', endpoint_url=sys.argv[1], region_name='us-east-1')
c.create_log_group(logGroupName='py-app')
c.create_log_stream(logGroupName='py-app', logStreamName='main')
now = int(time.time() * 1000)
r = c.put_log_events(logGroupName='py-app', logStreamName='main', logEvents=[{'timestamp': now, 'message': 'hello from boto3'}])
assert 'rejectedLogEventsInfo' not in r, r
e = c.get_log_events(logGroupName='py-app', logStreamName='main')['events']
print(e[0]['message'].strip())
`;
    const r = await run('python3', ['-c', script, p.platform.url]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim(), 'hello from boto3');
  });

  it('the aws CLI v1 puts events and reads them back', async () => {
    await p.logs.send(new CreateLogGroupCommand({ logGroupName: 'cli-app' }));
    await p.logs.send(new CreateLogStreamCommand({ logGroupName: 'cli-app', logStreamName: 'main' }));
    const cli = (args: string[]) => run('aws', ['--endpoint-url', p.platform.url, '--region', 'us-east-1', '--output', 'json', 'logs', ...args]);
    const put = await cli(['put-log-events', '--log-group-name', 'cli-app', '--log-stream-name', 'main', '--log-events', `timestamp=${Date.now()},message=hello from the cli`]);
    assert.equal(put.code, 0, put.stderr);
    const got = await cli(['filter-log-events', '--log-group-name', 'cli-app', '--filter-pattern', 'cli']);
    assert.equal(got.code, 0, got.stderr);
    assert.deepEqual((JSON.parse(got.stdout) as { events: { message: string }[] }).events.map((e) => e.message), ['hello from the cli\n']);
  });
});
