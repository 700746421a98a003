import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { render, run } from '../../src/services/logs/insights/evaluate.js';
import { discover, type StoredEvent } from '../../src/services/logs/insights/fields.js';
import { parseQuery, QuerySyntaxError } from '../../src/services/logs/insights/parser.js';

const T0 = Date.UTC(2026, 11, 6, 10, 0, 0);
const rid = '0f0e2a4c-1111-4222-8333-444455556666';
const ev = (i: number, message: string, stream = 's1'): StoredEvent => ({ timestamp: T0 + i * 60_000, ingestionTime: T0 + i * 60_000 + 5, message, stream, requestId: null });
const events = [
  ev(0, `START RequestId: ${rid} Version: $LATEST`),
  ev(1, `2026-12-06T10:01:00.000Z\t${rid}\tINFO\t{"level":"ERROR","latency":120,"user":{"id":"u1"}}`),
  ev(2, '{"level":"INFO","latency":30,"user":{"id":"u2"}}', 's2'),
  ev(3, 'user=alice action=login took 15ms'),
  ev(6, '{"level":"ERROR","latency":80,"user":{"id":"u1"}}', 's2'),
  ev(7, `REPORT RequestId: ${rid}\tDuration: 12.34 ms\tBilled Duration: 13 ms\tMemory Size: 128 MB\tMax Memory Used: 61 MB\t`),
];
const query = (q: string, limit = 1000) => {
  const out = run(parseQuery(q), events.map((e) => discover(e, '/aws/lambda/f', '000000000000')), limit);
  return out.rows.map((r) => Object.fromEntries(render(r, out.columns).map((f) => [f.field, f.value])));
};

describe('Logs Insights queries', () => {
  it('discovers Lambda platform fields and JSON members', () => {
    const report = discover(events[5]!, '/aws/lambda/f', '000000000000');
    assert.deepEqual(
      ['@type', '@requestId', '@duration', '@billedDuration', '@memorySize', '@maxMemoryUsed', '@log'].map((k) => report.get(k)),
      ['REPORT', rid, 12.34, 13, 128_000_000, 61_000_000, '000000000000:/aws/lambda/f'],
    );
    const json = discover(events[1]!, '/aws/lambda/f', '000000000000');
    assert.deepEqual([json.get('level'), json.get('latency'), json.get('user.id'), json.get('@requestId')], ['ERROR', 120, 'u1', rid]);
  });

  it('filters with comparisons, and/or/not, like and regexes, in, and shows fields', () => {
    assert.deepEqual(query('filter level = "ERROR" and latency > 100 | fields user.id, latency'), [{ 'user.id': 'u1', latency: '120' }]);
    assert.deepEqual(query('filter level = "ERROR" or @logStream = "s2" | fields latency | sort latency desc').map((r) => r['latency']), ['120', '80', '30']);
    assert.deepEqual(query('filter @message like "alice" | fields @timestamp').map((r) => r['@timestamp']), ['2026-12-06 10:03:00.000']);
    assert.deepEqual(query('filter @message like /(?i)ALICE/ | fields @logStream').length, 1);
    assert.deepEqual(query('filter @message =~ /^START/ | fields @type, @requestId'), [{ '@type': 'START', '@requestId': rid }]);
    // A comparison with a field the event lacks is false: the plain line has no @type.
    assert.deepEqual(query('filter not (@message like "{") | filter @type != "START" | fields @type'), [{ '@type': 'REPORT' }]);
    assert.equal(query('filter not (@message like "{")').length, 3);
    assert.deepEqual(query('filter user.id in ["u2", "u3"] | fields latency'), [{ latency: '30' }]);
    assert.deepEqual(query('filter @type = "REPORT" | fields @maxMemoryUsed / 1000 / 1000 as mb'), [{ mb: '61' }]);
  });

  it('aggregates with stats by field and by bin(5m), then sorts and limits', () => {
    assert.deepEqual(query('filter latency > 0 | stats count(*) as n, avg(latency) as avg, max(latency), min(latency), sum(latency) by level | sort level'), [
      { level: 'ERROR', n: '2', avg: '100', 'max(latency)': '120', 'min(latency)': '80', 'sum(latency)': '200' },
      { level: 'INFO', n: '1', avg: '30', 'max(latency)': '30', 'min(latency)': '30', 'sum(latency)': '30' },
    ]);
    assert.deepEqual(query('stats count(*) by bin(5m)'), [
      { 'bin(5m)': '2026-12-06 10:00:00.000', 'count(*)': '4' },
      { 'bin(5m)': '2026-12-06 10:05:00.000', 'count(*)': '2' },
    ]);
    assert.deepEqual(query('stats count(latency) as withLatency, count_distinct(user.id) as users'), [{ withLatency: '3', users: '2' }]);
    assert.deepEqual(query('filter ispresent(latency) and not ispresent(@type) | stats count(*) as n'), [{ n: '3' }]);
    assert.deepEqual(query('filter strlen(level) = 5 | fields tolower(level) as l, abs(0 - latency) as a | sort a'), [{ l: 'error', a: '80' }, { l: 'error', a: '120' }]);
    assert.deepEqual(query('fields @timestamp | sort @timestamp desc | limit 2').map((r) => r['@timestamp']), ['2026-12-06 10:07:00.000', '2026-12-06 10:06:00.000']);
    assert.equal(query('fields @message', 3).length, 3, "StartQuery's limit");
  });

  it('parses with a glob or a regex with named groups', () => {
    assert.deepEqual(query('parse @message "user=* action=* took *ms" as user, action, ms | filter user = "alice" | fields user, action, ms'), [
      { user: 'alice', action: 'login', ms: '15' },
    ]);
    assert.deepEqual(query('parse @message /user=(?<who>\\w+)/ | filter who = "alice" | fields who'), [{ who: 'alice' }]);
  });

  it('refuses what it cannot run, naming it', () => {
    for (const [q, why] of [
      ['', /empty/],
      ['dedup @message', /dedup is not served/],
      ['stats pct(latency, 50)', /pct is not served/],
      ['filter datefloor(@timestamp, 1h) > 0', /function datefloor is not served/],
      ['filter @message like', /ends too soon/],
      ['fields a b', /expected \|/],
      ['parse @message "a*b*" as x', /2 \* but 1 names/],
      ['filter x =~ /(/', /invalid regex/],
    ] as const) {
      assert.throws(() => parseQuery(q), (err: Error) => err instanceof QuerySyntaxError && why.test(err.message), q);
    }
  });
});
