import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BUSY_FREEZE_AFTER_MS, FREEZE_AFTER_MS, IdleFreezer } from '../../src/environments/idle-freezer.js';
import type { LaunchedProcess } from '../../src/environments/launcher.js';
import { ManualClock } from '../../src/lib/clock.js';

/** An environment's process that counts the signals it gets. */
function counted() {
  const signals: string[] = [];
  const process = { freeze: () => signals.push('stop'), thaw: () => signals.push('cont') } as unknown as LaunchedProcess;
  return { signals, process };
}

describe('IdleFreezer', () => {
  it('freezes an environment invoked now and then soon after it goes idle, and thaws it for the next invocation', () => {
    const clock = new ManualClock(0);
    const { signals, process } = counted();
    const f = new IdleFreezer(() => process, clock);
    f.freezeSoon(() => true);
    clock.advance(FREEZE_AFTER_MS);
    assert.deepEqual(signals, ['stop']);
    assert.equal(f.frozen, true);
    clock.advance(5_000);
    f.unfreeze();
    assert.deepEqual(signals, ['stop', 'cont']);
    f.freezeSoon(() => true);
    clock.advance(FREEZE_AFTER_MS);
    assert.deepEqual(signals, ['stop', 'cont', 'stop'], 'a long idle spell: frozen as soon again');
  });

  it('leaves a busy environment running between invocations that follow each other, and freezes it once left alone', () => {
    const clock = new ManualClock(0);
    const { signals, process } = counted();
    const f = new IdleFreezer(() => process, clock);
    // The first idle spell ends within the busy window: from then on, idle spells up to it pass unfrozen.
    f.freezeSoon(() => true);
    clock.advance(FREEZE_AFTER_MS - 1);
    f.unfreeze();
    for (let i = 0; i < 10; i++) {
      f.freezeSoon(() => true);
      clock.advance(BUSY_FREEZE_AFTER_MS - 1);
      f.unfreeze();
    }
    assert.deepEqual(signals, [], 'no signal while invocations follow each other');
    f.freezeSoon(() => true);
    clock.advance(BUSY_FREEZE_AFTER_MS);
    assert.deepEqual(signals, ['stop']);
    // Thawed after a long spell, it is an occasional environment again.
    clock.advance(1_000);
    f.unfreeze();
    f.freezeSoon(() => true);
    clock.advance(FREEZE_AFTER_MS);
    assert.deepEqual(signals, ['stop', 'cont', 'stop']);
  });

  it('does not freeze an environment that is no longer idle when the time comes', () => {
    const clock = new ManualClock(0);
    const { signals, process } = counted();
    const f = new IdleFreezer(() => process, clock);
    f.freezeSoon(() => false);
    clock.advance(BUSY_FREEZE_AFTER_MS);
    assert.deepEqual(signals, []);
  });
});
