import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { IllegalTransition, StateMachine } from '../../src/lib/state-machine.js';

type Light = 'red' | 'green' | 'amber';
const lights = new StateMachine<Light>('light', { red: ['green'], green: ['amber'], amber: ['red'] });

describe('state machines', () => {
  it('allows only the listed transitions', () => {
    assert.equal(lights.can('red', 'green'), true);
    assert.equal(lights.can('red', 'amber'), false);
    assert.throws(() => lights.check('green', 'red'), (err: unknown) => err instanceof IllegalTransition && err.from === 'green' && err.to === 'red' && /light: forbidden transition green -> red/.test(err.message));
    assert.deepEqual(lights.sourcesOf('red'), ['amber']);
  });

  it('stores a move only from the state the caller saw, and says when another writer moved first', async () => {
    let stored: { state: Light } = { state: 'red' };
    const save = async (next: { state: Light }, expected: readonly Light[]) => {
      if (!expected.includes(stored.state)) return false;
      stored = next;
      return true;
    };
    const seen = { state: 'red' as Light };
    assert.equal(await lights.move(seen, { state: 'green' }, save), true);
    assert.deepEqual(stored, { state: 'green' });
    // A second writer still holding the old view loses, and nothing is overwritten.
    assert.equal(await lights.move(seen, { state: 'green' }, save), false);
    await assert.rejects(lights.move(seen, { state: 'amber' }, save), IllegalTransition);
    assert.deepEqual(stored, { state: 'green' });
  });
});
