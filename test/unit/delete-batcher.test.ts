import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DeleteBatcher } from '../../src/services/sqs/delete-batcher.js';
import type { QueueRepo } from '../../src/storage/store.js';

type Handle = { id: string; token: string };

/** A queue repo that records each deleteMessages call and answers "deleted" for ids not starting with "gone". */
function recordingRepo() {
  const calls: { queue: string; ids: string[] }[] = [];
  const repo = {
    async deleteMessages(queue: string, handles: readonly Handle[]) {
      calls.push({ queue, ids: handles.map((h) => h.id) });
      return handles.map((h) => !h.id.startsWith('gone'));
    },
  } as Pick<QueueRepo, 'deleteMessages'> as QueueRepo;
  return { calls, repo };
}

const handles = (...ids: string[]): Handle[] => ids.map((id) => ({ id, token: `t-${id}` }));

describe('delete batcher', () => {
  it('joins the deletes of one turn into one store call per queue, and answers each request its own results', async () => {
    const { calls, repo } = recordingRepo();
    const b = new DeleteBatcher(repo);
    const [a, c, d] = await Promise.all([
      b.add({ queue: 'q1', handles: handles('a1', 'gone-a2') }),
      b.add({ queue: 'q2', handles: handles('c1') }),
      b.add({ queue: 'q1', handles: handles('gone-d1', 'd2', 'd3') }),
    ]);
    assert.deepEqual(calls, [
      { queue: 'q1', ids: ['a1', 'gone-a2', 'gone-d1', 'd2', 'd3'] },
      { queue: 'q2', ids: ['c1'] },
    ]);
    assert.deepEqual(a, [true, false]);
    assert.deepEqual(c, [true]);
    assert.deepEqual(d, [false, true, true]);
  });

  it('answers a request with no handles without failing the others', async () => {
    const { calls, repo } = recordingRepo();
    const b = new DeleteBatcher(repo);
    const [empty, one] = await Promise.all([b.add({ queue: 'q1', handles: [] }), b.add({ queue: 'q1', handles: handles('x') })]);
    assert.deepEqual(empty, []);
    assert.deepEqual(one, [true]);
    assert.equal(calls.length, 1);
  });
});
