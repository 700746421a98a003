import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { memoByString } from '../../src/lib/memo.js';
import { RestRoutes } from '../../src/wire/protocols/rest-routes.js';
import { lambdaServiceModel } from '../../src/wire/model.js';

describe('memoByString', () => {
  it('computes each key once, undefined answers included', () => {
    const calls: string[] = [];
    const f = memoByString((k: string) => {
      calls.push(k);
      return k === 'none' ? undefined : k.length;
    });
    assert.equal(f('abc'), 3);
    assert.equal(f('abc'), 3);
    assert.equal(f('none'), undefined);
    assert.equal(f('none'), undefined);
    assert.deepEqual(calls, ['abc', 'none']);
  });

  it('starts again empty past its size, and still answers right', () => {
    const calls: string[] = [];
    const f = memoByString((k: string) => (calls.push(k), `v${k}`), 2);
    assert.equal(f('a'), 'va');
    assert.equal(f('b'), 'vb');
    assert.equal(f('c'), 'vc'); // full: forgets a and b
    assert.equal(f('a'), 'va');
    assert.deepEqual(calls, ['a', 'b', 'c', 'a']);
  });
});

describe('RestRoutes, remembered', () => {
  const routes = new RestRoutes([lambdaServiceModel]);
  it('finds the same route and labels on a second call, and another path its own', () => {
    const first = routes.match('POST', '/2015-03-31/functions/f1/invocations');
    const again = routes.match('POST', '/2015-03-31/functions/f1/invocations');
    const other = routes.match('POST', '/2015-03-31/functions/f2/invocations');
    assert.equal(first?.route.candidates[0]?.operation.name, 'Invoke');
    assert.deepEqual(again?.values, ['f1']);
    assert.deepEqual(other?.values, ['f2']);
    assert.equal(routes.match('GET', '/2015-03-31/functions/f1/invocations')?.route.candidates[0]?.operation.name, undefined);
  });
});
