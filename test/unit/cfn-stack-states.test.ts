import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { IllegalTransition } from '../../src/lib/state-machine.js';
import { canUpdateFrom, stackStates } from '../../src/services/cloudformation/engine/stack-states.js';

describe('CloudFormation stack statuses', () => {
  it('allows the paths CloudFormation takes and refuses the rest', () => {
    const path = (...states: Parameters<typeof stackStates.check>[0][]) => states.slice(1).forEach((to, i) => stackStates.check(states[i]!, to));
    path('REVIEW_IN_PROGRESS', 'CREATE_IN_PROGRESS', 'ROLLBACK_IN_PROGRESS', 'ROLLBACK_COMPLETE', 'DELETE_IN_PROGRESS', 'DELETE_COMPLETE');
    path('CREATE_COMPLETE', 'UPDATE_IN_PROGRESS', 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS', 'UPDATE_COMPLETE');
    path('UPDATE_COMPLETE', 'UPDATE_IN_PROGRESS', 'UPDATE_ROLLBACK_IN_PROGRESS', 'UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS', 'UPDATE_ROLLBACK_COMPLETE');
    path('DELETE_IN_PROGRESS', 'DELETE_FAILED', 'DELETE_IN_PROGRESS');
    assert.throws(() => stackStates.check('ROLLBACK_COMPLETE', 'UPDATE_IN_PROGRESS'), IllegalTransition, 'a stack rolled back from its creation can only be deleted');
    assert.throws(() => stackStates.check('DELETE_COMPLETE', 'DELETE_IN_PROGRESS'), IllegalTransition);
    assert.throws(() => stackStates.check('CREATE_IN_PROGRESS', 'UPDATE_IN_PROGRESS'), IllegalTransition);
    assert.deepEqual(
      (['CREATE_COMPLETE', 'UPDATE_COMPLETE', 'UPDATE_ROLLBACK_COMPLETE', 'UPDATE_FAILED', 'ROLLBACK_COMPLETE', 'REVIEW_IN_PROGRESS', 'UPDATE_IN_PROGRESS'] as const).map(canUpdateFrom),
      [true, true, true, true, false, false, false],
    );
  });
});
