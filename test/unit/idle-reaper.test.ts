import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { IdleReaper } from '../../src/environments/idle-reaper.js';
import { ManualClock } from '../../src/lib/clock.js';

describe('IdleReaper', () => {
  it('expires each environment exactly the timeout after it last went idle, with one timer for all', () => {
    const clock = new ManualClock(0);
    const expired: string[] = [];
    const reaper = new IdleReaper<string>(clock, 1000, (e) => expired.push(`${e}@${clock.monotonic()}`));
    reaper.watch('a');
    clock.advance(300);
    reaper.watch('b');
    clock.advance(200);
    reaper.watch('a'); // used again: its idle time starts over
    clock.advance(799);
    assert.deepEqual(expired, []);
    clock.advance(1); // b went idle at 300
    assert.deepEqual(expired, ['b@1300']);
    clock.advance(199);
    assert.deepEqual(expired, ['b@1300']);
    clock.advance(1); // a went idle again at 500
    assert.deepEqual(expired, ['b@1300', 'a@1500']);
  });

  it('does not expire an environment forgotten (taken or gone) before its time', () => {
    const clock = new ManualClock(0);
    const expired: string[] = [];
    const reaper = new IdleReaper<string>(clock, 1000, (e) => expired.push(e));
    reaper.watch('a');
    reaper.watch('b');
    reaper.forget('a');
    clock.advance(5000);
    assert.deepEqual(expired, ['b']);
    reaper.watch('c');
    clock.advance(999);
    assert.deepEqual(expired, ['b']);
    clock.advance(1);
    assert.deepEqual(expired, ['b', 'c']);
  });
});
