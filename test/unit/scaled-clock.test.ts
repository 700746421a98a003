import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ManualClock, ScaledClock } from '../../src/lib/clock.js';
import { loadConfig } from '../../src/config/config.js';

describe('ScaledClock (the server --time-scale)', () => {
  it('starts at the source clock now and runs scale times faster, wall and monotonic', () => {
    const source = new ManualClock(1_700_000_000_000);
    source.advance(250);
    const clock = new ScaledClock(60, source);
    assert.equal(clock.now(), 1_700_000_000_250);
    assert.equal(clock.monotonic(), 0);
    source.advance(1_000);
    assert.equal(clock.now(), 1_700_000_000_250 + 60_000);
    assert.equal(clock.monotonic(), 60_000);
    assert.equal(source.now(), 1_700_000_001_250, 'the source keeps its own time');
  });

  it('fires a timer after 1/scale of its time on the source, and cancels', () => {
    const source = new ManualClock();
    const clock = new ScaledClock(600, source);
    const fired: string[] = [];
    clock.setTimeout(() => fired.push('five minutes'), 5 * 60_000);
    const cancelled = clock.setTimeout(() => fired.push('cancelled'), 60_000);
    cancelled.cancel();
    source.advance(499);
    assert.deepEqual(fired, []);
    source.advance(1);
    assert.deepEqual(fired, ['five minutes']);
    assert.equal(clock.now() - source.now(), 599 * 500, 'half a second of source time is five minutes');
  });

  it('slows down with a scale under 1, and refuses a scale that is not a positive number', () => {
    const source = new ManualClock(0);
    const clock = new ScaledClock(0.5, source);
    source.advance(1_000);
    assert.equal(clock.now(), 500);
    for (const bad of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) assert.throws(() => new ScaledClock(bad, source), RangeError);
  });

  it('is configured by timeScale: 1 by default, a positive number up to 3600', () => {
    assert.equal(loadConfig({}).timeScale, 1);
    assert.equal(loadConfig({ timeScale: 60 }).timeScale, 60);
    for (const bad of [0, -2, 3601]) assert.throws(() => loadConfig({ timeScale: bad }), /invalid configuration: timeScale/);
  });
});
