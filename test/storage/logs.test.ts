import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LogRecord } from '../../src/storage/store.js';
import { testStoreKind, useTestStore } from '../helpers/test-store.js';

const record = (stream: string, requestId: string | null, lines: [number, string][], functionName = 'f'): LogRecord => ({
  functionName,
  stream,
  requestId,
  lines: lines.map(([timestamp, message]) => ({ timestamp, message })),
});

describe(`logs (${testStoreKind()})`, () => {
  const t = useTestStore();

  async function seed() {
    const { logs } = t().store;
    await logs.append([
      record('s1', 'r1', [[100, 'START r1'], [110, 'hello "world"'], [120, 'END r1']]),
      record('s2', 'r2', [[200, 'START r2'], [210, 'tab\there\u0000nul'], [220, 'END r2']]),
    ]);
    await logs.append([record('s1', null, [[300, 'outside any invocation']]), record('s1', 'r3', [[400, 'hello again']], 'g')]);
    return logs;
  }

  it('queries a function’s lines in the order stored, with filters', async () => {
    const logs = await seed();
    const all = await logs.query({ functionName: 'f', limit: 100 });
    assert.deepEqual(all.map((l) => l.message), ['START r1', 'hello "world"', 'END r1', 'START r2', 'tab\there\u0000nul', 'END r2', 'outside any invocation']);
    assert.ok(all.every((l, i) => i === 0 || l.id > all[i - 1]!.id));
    assert.deepEqual([all[1]!.stream, all[1]!.requestId, all[1]!.timestamp, all[1]!.functionName], ['s1', 'r1', 110, 'f']);
    assert.equal(all[6]!.requestId, null);
    assert.ok(all.every((l) => l.ingestionTime > 0));

    const messages = async (q: object) => (await logs.query({ functionName: 'f', limit: 100, ...q })).map((l) => l.message);
    assert.deepEqual(await messages({ stream: 's2' }), ['START r2', 'tab\there\u0000nul', 'END r2']);
    assert.deepEqual(await messages({ requestId: 'r1' }), ['START r1', 'hello "world"', 'END r1']);
    assert.deepEqual(await messages({ contains: 'hello' }), ['hello "world"']);
    assert.deepEqual(await messages({ contains: '"world"' }), ['hello "world"'], 'a needle that JSON escapes');
    assert.deepEqual(await messages({ contains: '\u0000' }), ['tab\there\u0000nul']);
    assert.deepEqual(await messages({ startTime: 115, endTime: 210 }), ['END r1', 'START r2', 'tab\there\u0000nul']);
    assert.deepEqual(await messages({ functionName: 'g' }), ['hello again']);
    assert.deepEqual(await messages({ functionName: 'none' }), []);
  });

  it('keeps a batch as a row per stream, each line with its request, whatever the batch mixes', async () => {
    const { logs } = t().store;
    // Two streams interleaved, a request in each, lines outside any invocation between them.
    await logs.append([
      record('a', 'ra1', [[1, 'START ra1'], [2, 'END ra1']]),
      record('b', 'rb1', [[3, 'START rb1']]),
      record('a', null, [[4, 'between']]),
      record('a', 'ra2', [[5, 'START ra2'], [6, 'say "ra1"'], [7, 'END ra2']]),
      record('b', 'rb2', [[8, 'START rb2']]),
    ]);
    const all = await logs.query({ functionName: 'f', limit: 100 });
    // Each stream's lines in the order they came, the streams in the order they first came.
    assert.deepEqual(
      all.map((l) => [l.stream, l.requestId, l.message]),
      [
        ['a', 'ra1', 'START ra1'],
        ['a', 'ra1', 'END ra1'],
        ['a', null, 'between'],
        ['a', 'ra2', 'START ra2'],
        ['a', 'ra2', 'say "ra1"'],
        ['a', 'ra2', 'END ra2'],
        ['b', 'rb1', 'START rb1'],
        ['b', 'rb2', 'START rb2'],
      ],
    );
    const messages = async (q: object) => (await logs.query({ functionName: 'f', limit: 100, ...q })).map((l) => l.message);
    // A line that mentions another request is not that request's.
    assert.deepEqual(await messages({ requestId: 'ra1' }), ['START ra1', 'END ra1']);
    assert.deepEqual(await messages({ requestId: 'ra2' }), ['START ra2', 'say "ra1"', 'END ra2']);
    assert.deepEqual(await messages({ requestId: 'rb2', stream: 'b' }), ['START rb2']);
    assert.deepEqual(await messages({ requestId: 'ra' }), []);
    // Paging from any line of a mixed row keeps the request of the lines after it.
    const page = await logs.query({ functionName: 'f', limit: 2, afterId: all[4]!.id });
    assert.deepEqual(page.map((l) => [l.requestId, l.message]), [['ra2', 'END ra2'], ['rb1', 'START rb1']]);
  });

  it('finds a request whose lines were split across rows', async () => {
    const { logs } = t().store;
    const many = [...Array(65_540)].map((_, i): [number, string] => [i, `m${i}`]);
    await logs.append([record('s', 'before', [[0, 'one']]), record('s', 'long', many), record('s', 'after', [[1, 'two']])]);
    const lines = await logs.query({ functionName: 'f', requestId: 'long', limit: 70_000 });
    assert.equal(lines.length, 65_540);
    assert.equal(lines[65_539]!.message, 'm65539');
    assert.ok(lines.every((l) => l.requestId === 'long'));
    assert.deepEqual((await logs.query({ functionName: 'f', requestId: 'after', limit: 10 })).map((l) => l.message), ['two']);
  });

  it('gives a last line id that every line stored later is past', async () => {
    const { logs } = t().store;
    const empty = await logs.lastLineId();
    await logs.append([record('s1', 'r1', [[100, 'one'], [110, 'two']])]);
    const mark = await logs.lastLineId();
    assert.ok(mark >= empty);
    assert.deepEqual(await logs.query({ functionName: 'f', afterId: mark, limit: 10 }), []);
    await logs.append([record('s1', 'r2', [[120, 'three']]), record('s2', 'r3', [[130, 'four']], 'g')]);
    assert.deepEqual((await logs.query({ functionName: 'f', afterId: mark, limit: 10 })).map((l) => l.message), ['three']);
    assert.deepEqual((await logs.query({ functionName: 'g', afterId: mark, limit: 10 })).map((l) => l.message), ['four']);
    assert.ok((await logs.lastLineId()) > mark);
  });

  it('pages with the id of the last line seen', async () => {
    const logs = await seed();
    const first = await logs.query({ functionName: 'f', limit: 2 });
    assert.deepEqual(first.map((l) => l.message), ['START r1', 'hello "world"']);
    const second = await logs.query({ functionName: 'f', limit: 3, afterId: first[1]!.id });
    assert.deepEqual(second.map((l) => l.message), ['END r1', 'START r2', 'tab\there\u0000nul']);
    const rest = await logs.query({ functionName: 'f', limit: 10, afterId: second[2]!.id });
    assert.deepEqual(rest.map((l) => l.message), ['END r2', 'outside any invocation']);
  });

  it('reads past many records and splits a record too long for its line ids', async () => {
    const { logs } = t().store;
    await logs.append([...Array(300)].map((_, i) => record('s', `r${i}`, [[i, `line ${i}`]])));
    await logs.append([record('big', 'rb', [...Array(65_537)].map((_, i): [number, string] => [1000, `b${i}`]))]);
    const found = await logs.query({ functionName: 'f', contains: 'line 299', limit: 10 });
    assert.deepEqual(found.map((l) => l.message), ['line 299']);
    const big = await logs.query({ functionName: 'f', stream: 'big', limit: 70_000 });
    assert.equal(big.length, 65_537);
    assert.equal(new Set(big.map((l) => l.id)).size, 65_537);
    assert.equal(big[65_536]!.message, 'b65536');
  });

  it('lists streams (most recently written first) and groups', async () => {
    const logs = await seed();
    const streams = await logs.streams('f', 10);
    assert.deepEqual(
      streams.map(({ lastIngestionTime: _, ...s }) => s),
      [
        { stream: 's1', creationTime: 100, firstTimestamp: 100, lastTimestamp: 300 },
        { stream: 's2', creationTime: 200, firstTimestamp: 200, lastTimestamp: 220 },
      ],
    );
    assert.ok(streams.every((s) => s.lastIngestionTime! >= Date.now() - 60_000));
    assert.equal((await logs.streams('f', 1)).length, 1);
    assert.deepEqual(await logs.groups(), ['f', 'g']);
  });

  it('keeps retention per function and deletes the oldest expired records, in order, up to a maximum', async () => {
    const { logs } = t().store;
    await logs.setRetention('f', 7);
    await logs.setRetention('g', 1);
    await logs.setRetention('g', 3);
    await logs.setRetention('h', 1);
    await logs.setRetention('h', undefined);
    assert.deepEqual([...(await logs.retentions())].sort(), [['f', 7], ['g', 3]]);

    // A batch per record (a row is deleted once all its lines are past retention: a row per batch).
    for (const ts of [100, 200, 300, 400]) await logs.append([record('s', `r${ts}`, [[ts - 50, 'start'], [ts, `at ${ts}`]])]);
    await logs.append([record('s', 'late', [[150, 'stored late']])]);
    assert.equal(await logs.deleteOlderThan('f', 250, 1), 1);
    assert.equal(await logs.deleteOlderThan('f', 250, 10), 1, 'stops at the first record still kept');
    assert.deepEqual((await logs.query({ functionName: 'f', limit: 10 })).map((l) => l.message), ['start', 'at 300', 'start', 'at 400', 'stored late']);
    assert.equal(await logs.deleteOlderThan('f', 100, 10), 0);
  });
  it('records groups created before their function logs; deleting a group takes its lines, retention and record', async () => {
    const logs = await seed();
    assert.equal(await logs.createGroup('early', 1), true);
    assert.equal(await logs.createGroup('early', 2), false, 'recorded once');
    assert.deepEqual(await logs.groupTags('early'), {});
    await logs.setGroupTags('early', { team: 'a' }, 3);
    assert.deepEqual(await logs.groupTags('early'), { team: 'a' });
    await logs.setGroupTags('g', { only: 'lines' }, 3);
    assert.deepEqual(await logs.groupTags('g'), { only: 'lines' }, 'a group known by its lines is recorded when tagged');
    assert.equal(await logs.createGroup('tagged', 1, { a: 'b' }), true);
    assert.deepEqual(await logs.groupTags('tagged'), { a: 'b' });
    assert.equal(await logs.deleteGroup('tagged'), true);
    assert.deepEqual(await logs.groups(), ['early', 'f', 'g']);
    await logs.setRetention('f', 7);
    assert.equal(await logs.deleteGroup('f'), true);
    assert.deepEqual(await logs.query({ functionName: 'f', limit: 10 }), []);
    assert.equal((await logs.retentions()).has('f'), false);
    assert.deepEqual(await logs.groups(), ['early', 'g']);
    assert.equal(await logs.deleteGroup('early'), true);
    assert.equal(await logs.deleteGroup('early'), false);
    assert.deepEqual(await logs.groups(), ['g']);
  });

  it('makes streams before their first event, once, and deletes a stream with its lines', async () => {
    const logs = await seed();
    assert.equal(await logs.createStream('/app', 'empty', 50), true);
    assert.equal(await logs.createStream('/app', 'empty', 60), false, 'made once');
    assert.equal(await logs.createStream('f', 's1', 60), false, 'a stream written to exists');
    assert.equal(await logs.hasStream('/app', 'empty'), true);
    assert.equal(await logs.hasStream('f', 's2'), true);
    assert.equal(await logs.hasStream('f', 'nope'), false);
    assert.equal(await logs.hasStream('g', 's2'), false);
    assert.deepEqual(await logs.streams('/app', 10), [{ stream: 'empty', creationTime: 50 }]);

    assert.equal(await logs.createStream('/app', 'written', 70), true);
    await logs.append([record('written', null, [[80, 'put'], [90, 'events']], '/app')]);
    const streams = await logs.streams('/app', 10);
    assert.deepEqual(
      streams.map(({ lastIngestionTime: _, ...s }) => s),
      [
        { stream: 'written', creationTime: 70, firstTimestamp: 80, lastTimestamp: 90 },
        { stream: 'empty', creationTime: 50 },
      ],
    );
    assert.deepEqual((await logs.query({ functionName: '/app', stream: 'written', limit: 10 })).map((l) => l.message), ['put', 'events']);

    assert.equal(await logs.deleteStream('f', 's1'), true);
    assert.deepEqual((await logs.query({ functionName: 'f', limit: 10 })).map((l) => l.stream), ['s2', 's2', 's2']);
    assert.equal(await logs.deleteStream('f', 's1'), false);
    assert.equal(await logs.deleteStream('/app', 'empty'), true);
    assert.equal(await logs.hasStream('/app', 'empty'), false);
    assert.equal(await logs.deleteGroup('/app'), true, 'a group known by its lines and streams');
    assert.deepEqual(await logs.streams('/app', 10), []);
  });

  it('keeps metric and subscription filters by group and name', async () => {
    const { logFilters } = t().store;
    const metric = { group: '/app', filterName: 'errors', filterPattern: 'ERROR', metricTransformations: [{ metricName: 'Errors', metricNamespace: 'App', metricValue: '1' }], creationTime: 5 };
    assert.equal(await logFilters.metricFilters.create('/app:errors', metric), true);
    assert.equal(await logFilters.metricFilters.create('/app:errors', metric), false);
    assert.equal(await logFilters.metricFilters.create('/app2:errors', { ...metric, group: '/app2' }), true);
    assert.deepEqual((await logFilters.metricFilters.list('/app:', undefined, 10)).map((r) => r.value), [metric]);
    const sub = { group: 'f', filterName: 'all', filterPattern: '', destinationArn: 'arn:aws:lambda:us-east-1:000000000000:function:sink', distribution: 'ByLogStream', creationTime: 6 };
    assert.equal(await logFilters.subscriptionFilters.create('f:all', sub), true);
    assert.deepEqual((await logFilters.subscriptionFilters.get('f:all'))?.value, sub);
    assert.equal(await logFilters.subscriptionFilters.delete('f:all'), true);
    assert.equal(await logFilters.subscriptionFilters.get('f:all'), undefined);
  });
});
