import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setImmediate as turn } from 'node:timers/promises';
import { GroupCommit } from '../../src/lib/group-commit.js';

/** A write the test finishes by hand, recording each batch it was given. */
function manualWrites() {
  const batches: number[][] = [];
  const finish: ((fail?: Error) => void)[] = [];
  const write = (items: number[]) =>
    new Promise<string[]>((resolve, reject) => {
      batches.push(items);
      finish.push((fail) => (fail ? reject(fail) : resolve(items.map((i) => `stored ${i}`))));
    });
  return { batches, finish, write };
}

describe('group commit', () => {
  it('writes what arrives in one turn together, and answers each item only once its write is done', async () => {
    const w = manualWrites();
    const gc = new GroupCommit(w.write);
    const answered: string[] = [];
    const all = [1, 2, 3].map((i) => gc.add(i).then((r) => void answered.push(r)));
    await turn();
    assert.deepEqual(w.batches, [[1, 2, 3]]);
    assert.deepEqual(answered, []);
    w.finish[0]!();
    await Promise.all(all);
    assert.deepEqual(answered, ['stored 1', 'stored 2', 'stored 3']);
  });

  it('holds items back while maxInFlight writes run, then writes them all in the next', async () => {
    const w = manualWrites();
    const gc = new GroupCommit(w.write, 2);
    const first = gc.add(1);
    await turn();
    const second = gc.add(2);
    await turn();
    const rest = [3, 4, 5].map((i) => gc.add(i));
    await turn();
    await turn();
    assert.deepEqual(w.batches, [[1], [2]], 'two writes in flight, the rest waiting');
    w.finish[1]!();
    assert.equal(await second, 'stored 2');
    await turn();
    assert.deepEqual(w.batches, [[1], [2], [3, 4, 5]]);
    w.finish[0]!();
    w.finish[2]!(new Error('disk full'));
    assert.equal(await first, 'stored 1');
    for (const r of await Promise.allSettled(rest)) assert.equal(r.status === 'rejected' && (r.reason as Error).message, 'disk full');
  });
});
