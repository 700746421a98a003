import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { groupKey, groupName } from '../../src/services/logs/group-names.js';
import { sortBatch } from '../../src/services/logs/put-events.js';

describe('log group keys', () => {
  it('keys a function group by the function, any other group by its name, never two alike', () => {
    const names = ['/aws/lambda/fn', 'fn', '#fn', '/aws/lambda/a/b', '/aws/lambda/#x', '/aws/lambda/', 'app/web', '/app', '##'];
    const keys = names.map(groupKey);
    assert.deepEqual(keys, ['fn', '#fn', '##fn', '/aws/lambda/a/b', '/aws/lambda/#x', '/aws/lambda/', 'app/web', '/app', '###']);
    assert.equal(new Set(keys).size, names.length);
    assert.deepEqual(keys.map(groupName), names);
  });
});

describe('PutLogEvents batches', () => {
  const now = 100 * 86_400_000;
  const ev = (timestamp: number, message = 'm') => ({ timestamp, message });

  it('sets aside the too old, the expired and the too new by index, keeping the rest', () => {
    const day = 86_400_000;
    assert.throws(() => sortBatch([ev(now - 15 * day), ev(now)], now, undefined), /cannot span more than 24 hours/);
    const oldEdge = [ev(now - 14 * day - 1), ev(now - 14 * day), ev(now - 13.5 * day)];
    assert.deepEqual(sortBatch(oldEdge, now, undefined), { accepted: oldEdge.slice(1), rejected: { tooOldLogEventEndIndex: 0 } });
    const newEdge = [ev(now), ev(now + 2 * 3_600_000), ev(now + 2 * 3_600_000 + 1)];
    assert.deepEqual(sortBatch(newEdge, now, undefined), { accepted: newEdge.slice(0, 2), rejected: { tooNewLogEventStartIndex: 2 } });
    const old = [ev(now - 20 * day), ev(now - 20 * day + 1), ev(now - 19 * day)];
    assert.deepEqual(sortBatch(old, now, undefined), { accepted: [], rejected: { tooOldLogEventEndIndex: 2 } });
    const retained = [ev(now - 1.2 * day), ev(now - 1.1 * day), ev(now - 0.5 * day)];
    assert.deepEqual(sortBatch(retained, now, 1), { accepted: retained.slice(2), rejected: { expiredLogEventEndIndex: 1 } });
    assert.deepEqual(sortBatch([ev(now)], now, 1), { accepted: [ev(now)], rejected: undefined });
  });

  it('refuses a batch out of order or over 1,048,576 bytes counting 26 bytes an event', () => {
    assert.throws(() => sortBatch([ev(now), ev(now - 1)], now, undefined), /must be in chronological order/);
    const exact = [ev(now, 'x'.repeat(1_048_576 - 26 - 27)), ev(now, 'y')];
    assert.equal(sortBatch(exact, now, undefined).accepted.length, 2);
    assert.throws(() => sortBatch([ev(now, 'x'.repeat(1_048_576 - 26 - 27)), ev(now, 'é')], now, undefined), /Upload too large: 1048577 bytes/);
  });
});
