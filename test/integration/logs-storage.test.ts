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
import { DescribeLogStreamsCommand, FilterLogEventsCommand, GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
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
});
