/**
 * Logs are stored one record per invocation. These tests go through the CloudWatch Logs API: a data dir
 * written by an older Selfless (one row per line) keeps every line after the upgrade, and an invocation's
 * lines come back in order, filterable and pageable, line by line.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import {
  DeleteRetentionPolicyCommand,
  DescribeLogGroupsCommand,
  DescribeLogStreamsCommand,
  FilterLogEventsCommand,
  GetLogEventsCommand,
  PutRetentionPolicyCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { MIGRATIONS } from '../../src/storage/sqlite/migrations.js';
import { createFunction, startTestPlatform, type TestPlatform } from '../helpers/platform.js';

/** The schema before logs moved to one record per invocation (migration 10). */
const LINES_SCHEMA_VERSION = 9;

describe('log storage', () => {
  let p: TestPlatform | undefined;
  after(() => p?.stop());

  it('keeps the logs of a data dir written one row per line, in order, after the upgrade', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'selfless-logs-upgrade-'));
    const db = new Database(join(dir, 'selfless.db'));
    for (const sql of MIGRATIONS.slice(0, LINES_SCHEMA_VERSION)) db.exec(sql);
    db.pragma(`user_version = ${LINES_SCHEMA_VERSION}`);
    const insert = db.prepare('INSERT INTO log_lines (function_name, stream, request_id, ts, ingested, message) VALUES (?, ?, ?, ?, ?, ?)');
    const rid = '5a1c3e2b-1d2e-4f00-8abc-0123456789ab';
    const old = [
      ['2026/11/01/[$LATEST]aaaa', rid, 1_000, `START RequestId: ${rid} Version: $LATEST`],
      ['2026/11/01/[$LATEST]aaaa', rid, 1_001, 'a line with "quotes", a tab\tand\nnewline'],
      ['2026/11/01/[$LATEST]aaaa', null, 1_002, 'printed between invocations'],
      ['2026/11/01/[$LATEST]bbbb', rid, 1_003, `END RequestId: ${rid}`],
    ] as const;
    for (const [stream, requestId, ts, message] of old) insert.run('legacy', stream, requestId, ts, ts + 5, message);
    db.close();

    p = await startTestPlatform({}, dir);
    const all = await p.logs.send(new FilterLogEventsCommand({ logGroupName: '/aws/lambda/legacy' }));
    assert.deepEqual(
      all.events?.map((e) => [e.logStreamName, e.timestamp, e.message, e.ingestionTime]),
      old.map(([stream, , ts, message]) => [stream, ts, `${message}\n`, ts + 5]),
    );
    const byRequest = await p.logs.send(new FilterLogEventsCommand({ logGroupName: '/aws/lambda/legacy', filterPattern: rid }));
    assert.deepEqual(byRequest.events?.map((e) => e.timestamp), [1_000, 1_001, 1_003]);
    const quoted = await p.logs.send(new FilterLogEventsCommand({ logGroupName: '/aws/lambda/legacy', filterPattern: '"a tab\tand"' }));
    assert.deepEqual(quoted.events?.map((e) => e.timestamp), [1_001]);
    const streams = await p.logs.send(new DescribeLogStreamsCommand({ logGroupName: '/aws/lambda/legacy' }));
    assert.deepEqual(streams.logStreams?.map((s) => [s.logStreamName, s.firstEventTimestamp, s.lastEventTimestamp]), [
      ['2026/11/01/[$LATEST]bbbb', 1_003, 1_003],
      ['2026/11/01/[$LATEST]aaaa', 1_000, 1_002],
    ]);
  });

  it('pages through an invocation line by line, and filters inside it', async () => {
    assert.ok(p);
    await createFunction(p.lambda, 'log-lines', 'actions');
    const payload = Buffer.from(JSON.stringify({ action: 'print', lines: ['first', 'second needle', 'third'] }));
    const out = await p.lambda.send(new InvokeCommand({ FunctionName: 'log-lines', Payload: payload }));
    assert.equal(out.FunctionError, undefined);
    const group = '/aws/lambda/log-lines';

    const lines: string[] = [];
    let token: string | undefined;
    for (let pages = 0; pages < 20; pages++) {
      const page = await p.logs.send(new FilterLogEventsCommand({ logGroupName: group, limit: 2, ...(token ? { nextToken: token } : {}) }));
      assert.ok((page.events?.length ?? 0) <= 2);
      lines.push(...(page.events ?? []).map((e) => e.message!.trimEnd()));
      token = page.nextToken;
      if (!token) break;
    }
    const messages = lines.map((l) => l.split('\t').at(-1));
    assert.match(lines[0]!, /^START RequestId: /);
    assert.deepEqual(messages.slice(1, 5), ['first', 'second needle', 'third', 'raw line without prefix']);
    assert.match(lines[5]!, /^END RequestId: /);
    assert.match(lines[6]!, /^REPORT RequestId: /);
    assert.equal(lines.length, 7);

    const found = await p.logs.send(new FilterLogEventsCommand({ logGroupName: group, filterPattern: 'needle' }));
    assert.deepEqual(found.events?.map((e) => e.message!.trimEnd().split('\t').at(-1)), ['second needle']);

    const [stream] = (await p.logs.send(new DescribeLogStreamsCommand({ logGroupName: group }))).logStreams ?? [];
    const first = await p.logs.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: stream!.logStreamName, startFromHead: true, limit: 3 }));
    const rest = await p.logs.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: stream!.logStreamName, nextToken: first.nextForwardToken }));
    assert.deepEqual([...first.events!, ...rest.events!].map((e) => e.message!.trimEnd()), lines);
  });

  it('deletes logs older than a retention policy, at once and for good, and keeps the rest', async () => {
    assert.ok(p);
    const day = 86_400_000;
    const now = Date.now();
    // Records as a server running for weeks would have stored them (written beside the running server: WAL).
    const db = new Database(join(p.dataDir, 'selfless.db'));
    const insert = db.prepare('INSERT INTO log_records (function_name, stream, request_id, first_ts, last_ts, ingested, lines) VALUES (?, ?, ?, ?, ?, ?, ?)');
    for (const [age, message] of [[20, 'twenty days old'], [8, 'eight days old'], [2, 'two days old']] as const) {
      const ts = now - age * day;
      insert.run('aged', 's', null, ts, ts, ts, JSON.stringify([[ts, message]]));
    }
    db.close();
    const group = '/aws/lambda/aged';
    const messages = async () => (await p!.logs.send(new FilterLogEventsCommand({ logGroupName: group }))).events?.map((e) => e.message!.trimEnd());
    assert.deepEqual(await messages(), ['twenty days old', 'eight days old', 'two days old']);

    const refused = await p.logs.send(new PutRetentionPolicyCommand({ logGroupName: group, retentionInDays: 2 })).catch((e: Error) => e);
    assert.equal((refused as Error).name, 'InvalidParameterException');
    assert.match((refused as Error).message, /Value '2' at 'retentionInDays' failed to satisfy constraint/);

    await p.logs.send(new PutRetentionPolicyCommand({ logGroupName: group, retentionInDays: 7 }));
    assert.deepEqual(await messages(), ['two days old']);
    const described = await p.logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: group }));
    assert.deepEqual(described.logGroups?.map((g) => [g.logGroupName, g.retentionInDays]), [[group, 7]]);

    await p.logs.send(new DeleteRetentionPolicyCommand({ logGroupName: group }));
    const after = await p.logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: group }));
    assert.deepEqual(after.logGroups?.map((g) => [g.logGroupName, g.retentionInDays]), [[group, undefined]]);
    assert.deepEqual(await messages(), ['two days old']);
  });
});
