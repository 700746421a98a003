import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConcurrentSlots, requestIdOfLine, type Poll } from '../../src/environments/concurrent-slots.js';

const inv = (requestId: string) => ({ req: { requestId } });
const poll = (): Poll & { sent: number } => {
  const p = Object.assign(() => {
    p.sent++;
    return true;
  }, { sent: 0 });
  return p;
};

describe('the invocations of a multi-concurrency environment', () => {
  it('pairs invocations with polls in arrival order, whichever comes first, up to its limit', () => {
    const slots = new ConcurrentSlots<ReturnType<typeof inv>>(2);
    const [p1, p2] = [poll(), poll()];
    assert.equal(slots.poll(p1), undefined, 'a poll waits for an invocation');
    const a = inv('a');
    assert.equal(slots.assign(a), p1, 'an invocation takes the open poll');
    const b = inv('b');
    assert.equal(slots.assign(b), undefined, 'no poll open: it waits');
    assert.equal(slots.inFlight, 2);
    assert.equal(slots.hasRoom, false);
    assert.equal(slots.poll(p2), b, 'the next poll takes the waiting invocation');
    assert.equal(slots.find('a'), a);
    assert.equal(slots.find('b'), b);
    slots.finish(a);
    assert.equal(slots.hasRoom, true);
    assert.equal(slots.find('a'), undefined);
    assert.equal(slots.wasAnswered('a'), true);
    assert.deepEqual(slots.open(), [b]);
  });

  it('drops a withdrawn poll, and hands an undelivered invocation to the next open one', () => {
    const slots = new ConcurrentSlots<ReturnType<typeof inv>>(4);
    const [p1, p2, p3] = [poll(), poll(), poll()];
    slots.poll(p1);
    slots.poll(p2);
    slots.poll(p3);
    slots.withdraw(p1);
    const a = inv('a');
    assert.equal(slots.assign(a), p2);
    assert.equal(slots.undeliver(a), p3, 'its poll was gone: the next one');
    assert.equal(slots.undeliver(a), undefined, 'none left: it waits');
    assert.equal(slots.inFlight, 1);
    const p4 = poll();
    assert.equal(slots.poll(p4), a);
  });

  it('keeps an answered invocation as the owner of its late lines until its log is closed', () => {
    const slots = new ConcurrentSlots<ReturnType<typeof inv>>(2);
    const a = inv('11111111-2222-3333-4444-555555555555');
    slots.poll(poll());
    slots.assign(a);
    const line = `2026-12-06T09:00:00.000Z\t${a.req.requestId}\tINFO\thello`;
    assert.equal(slots.ownerOfLine(line), a);
    slots.finish(a);
    assert.equal(slots.ownerOfLine(line), a, 'raced its answer: still its line');
    slots.closed(a);
    assert.equal(slots.ownerOfLine(line), undefined, 'after its log closed: the environment’s');
  });
});

describe('the request id a runtime log line names', () => {
  const running = new Set(['r-1', 'r-2']);
  const isRunning = (id: string) => running.has(id);
  it('reads Node.js and Python text lines and JSON records (with or without spaces)', () => {
    assert.equal(requestIdOfLine('2026-12-06T09:00:00.000Z\tr-1\tINFO\thi', isRunning), 'r-1');
    assert.equal(requestIdOfLine('[INFO]\t2026-12-06T09:00:00.000Z\tr-2\thi', isRunning), 'r-2');
    assert.equal(requestIdOfLine('{"timestamp":"t","level":"INFO","requestId":"r-1","message":"m"}', isRunning), 'r-1');
    assert.equal(requestIdOfLine('{"timestamp": "t", "requestId": "r-2", "message": "m"}', isRunning), 'r-2');
  });
  it('names no invocation for plain output or ids not running', () => {
    assert.equal(requestIdOfLine('just print output', isRunning), undefined);
    assert.equal(requestIdOfLine('2026-12-06T09:00:00.000Z\tr-9\tINFO\thi', isRunning), undefined);
    assert.equal(requestIdOfLine('{"requestId":"r-9"}', isRunning), undefined);
  });
});
