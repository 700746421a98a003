import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ManualClock } from '../../src/lib/clock.js';
import { RateLimiter } from '../../src/services/events/rate-limiter.js';
import { buildRequest, isRetryableStatus } from '../../src/services/events/http-invocation.js';
import { canTransition } from '../../src/services/events/connection-states.js';

const settle = () => new Promise((r) => setImmediate(r));

describe('API destination rate limits', () => {
  it('starts at most `limit` requests in any second, in order, and refuses a backlog past five seconds', async () => {
    const clock = new ManualClock(0);
    const limiter = new RateLimiter(clock);
    const started: number[] = [];
    const turns = Array.from({ length: 10 }, (_, i) => limiter.take('d', 2).then((ok) => ok && started.push(i)));
    const refused = await limiter.take('d', 2);
    assert.equal(refused, false, 'ten waiting at 2/s is a full backlog');
    await settle();
    assert.deepEqual(started, [0, 1]);
    for (let second = 1; second <= 4; second++) {
      clock.advance(999);
      await settle();
      assert.equal(started.length, 2 * second, 'nothing more before the second is over');
      clock.advance(2);
      for (let i = 0; i < 5; i++) await settle();
      assert.equal(started.length, 2 * (second + 1));
    }
    await Promise.all(turns);
    assert.deepEqual(started, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    assert.equal(await limiter.take('other', 1), true, 'each destination has its own window');
  });
});

describe('API destination requests', () => {
  const auth = {
    apiKey: { name: 'X-Api-Key', value: 'k' },
    invocation: { headers: [{ key: 'x-team', value: 'ops', secret: false }, { key: 'Host', value: 'evil', secret: false }], query: [{ key: 'q', value: 'conn', secret: false }], body: [{ key: 'extra', value: '1', secret: true }] },
  };

  it('fills path wildcards, lets the connection win, keeps fixed headers, adds body parameters to JSON objects', () => {
    const r = buildRequest('https://api.example.com/a/*/b/*?x=1', 'POST', '{"a":1}', { pathValues: ['p 1', 'p2'], headers: { 'x-team': 'target', 'user-agent': 'me', 'x-own': 'y' }, query: { q: 'target', r: 's' } }, auth, undefined);
    assert.equal(r.url.pathname, '/a/p%201/b/p2');
    assert.deepEqual([...r.url.searchParams], [['x', '1'], ['q', 'conn'], ['r', 's']]);
    assert.equal(r.headers['x-team'], 'ops');
    assert.equal(r.headers['x-own'], 'y');
    assert.equal(r.headers['host'], undefined);
    assert.equal(r.headers['user-agent'], 'Amazon/EventBridge/ApiDestinations');
    assert.equal(r.headers['x-api-key'], 'k');
    assert.equal(r.headers['content-type'], 'application/json; charset=utf-8');
    assert.deepEqual(JSON.parse(r.body!), { a: 1, extra: '1' });
    assert.equal(buildRequest('https://h/x', 'POST', '"text"', {}, auth, undefined).body, '"text"', 'a body that is not an object is sent as it is');
    assert.equal(buildRequest('https://h/x', 'GET', '{}', {}, auth, undefined).body, undefined);
  });

  it('retries what EventBridge retries', () => {
    assert.deepEqual([400, 401, 403, 404, 407, 409, 429, 500, 503].map(isRetryableStatus), [false, true, false, false, true, true, true, true, true]);
  });

  it('moves connections only along allowed transitions', () => {
    assert.equal(canTransition('AUTHORIZING', 'AUTHORIZED'), true);
    assert.equal(canTransition('DEAUTHORIZING', 'AUTHORIZED'), false);
  });
});
