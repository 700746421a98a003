import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ReceiveSpec } from '../../src/storage/store.js';
import { message, queue } from '../helpers/store-records.js';
import { testStoreKind, useTestStore } from '../helpers/test-store.js';

const tokens = (n: number, prefix = 't') => Array.from({ length: n }, (_, i) => `${prefix}${i}`);
const spec = (now: number, n: number, extra: Partial<ReceiveSpec> = {}): ReceiveSpec => ({ now, tokens: tokens(n), visibleAt: now + 30_000, fifo: false, ...extra });
const DLQ_ARN = 'arn:aws:sqs:us-east-1:000000000000:src';

describe(`queues (${testStoreKind()})`, () => {
  const t = useTestStore();

  it('creates queues once, updates, lists them by prefix page by page, deletes them with their messages', async () => {
    const { queues } = t().store;
    for (const name of ['orders', 'orders-dlq', 'Orders', 'other', 'orders.fifo']) assert.equal(await queues.createQueue(queue(name)), true);
    assert.equal(await queues.createQueue(queue('orders', { delaySeconds: 5 })), false);
    assert.equal(await queues.updateQueue(queue('orders', { delaySeconds: 5, redrivePolicy: { deadLetterTargetArn: 'arn:x', maxReceiveCount: 2 } })), true);
    assert.equal(await queues.updateQueue(queue('missing')), false);
    assert.deepEqual(await queues.getQueue('orders'), queue('orders', { delaySeconds: 5, redrivePolicy: { deadLetterTargetArn: 'arn:x', maxReceiveCount: 2 } }));
    assert.equal(await queues.getQueue('missing'), undefined);
    assert.deepEqual((await queues.listQueues('', undefined, 10)).map((q) => q.name), ['Orders', 'orders', 'orders-dlq', 'orders.fifo', 'other']);
    assert.deepEqual((await queues.listQueues('orders', undefined, 2)).map((q) => q.name), ['orders', 'orders-dlq']);
    assert.deepEqual((await queues.listQueues('orders', 'orders-dlq', 2)).map((q) => q.name), ['orders.fifo']);
    await queues.insertMessages([message('orders', 'a')], 0);
    assert.equal(await queues.deleteQueue('orders'), true);
    assert.equal(await queues.deleteQueue('orders'), false);
    await queues.createQueue(queue('orders'));
    assert.deepEqual(await queues.counts('orders', 2000), { visible: 0, inFlight: 0, delayed: 0 });
  });

  it('stores a batch with growing sequence numbers and receives oldest first, each message once within its visibility timeout', async () => {
    const { queues } = t().store;
    await queues.createQueue(queue('q'));
    const batch = [message('q', 'one'), message('q', 'two', { sentAt: 1001 }), message('q', 'three', { visibleAt: 5000 })];
    const sent = await queues.insertMessages(batch, 0);
    assert.deepEqual(sent.map((s) => s.id), batch.map((m) => m.id));
    assert.ok(sent[0]!.seq < sent[1]!.seq && sent[1]!.seq < sent[2]!.seq);
    assert.ok(sent.every((s) => !s.duplicate));
    assert.deepEqual(await queues.counts('q', 2000), { visible: 2, inFlight: 0, delayed: 1, oldestSentAt: 1000 });

    const first = await queues.receiveMessages('q', spec(2000, 1));
    assert.equal(first.deadLettered, 0);
    assert.equal(first.received.length, 1);
    const got = first.received[0]!;
    assert.equal(got.body, 'one');
    assert.deepEqual(got.attributes, { color: { dataType: 'String', stringValue: 'red' } });
    assert.equal(got.md5OfBody, batch[0]!.md5OfBody);
    assert.deepEqual([got.receiveCount, got.firstReceivedAt, got.visibleAt, got.receiptToken], [1, 2000, 32_000, 't0']);

    const rest = await queues.receiveMessages('q', spec(2000, 10));
    assert.deepEqual(rest.received.map((m) => m.body), ['two'], 'the delayed message and the one in flight stay hidden');
    assert.deepEqual(await queues.counts('q', 2000), { visible: 0, inFlight: 2, delayed: 1, oldestSentAt: 1000 });
    assert.equal(await queues.nextVisibleAt('q', 2000), 5000);
    assert.deepEqual((await queues.receiveMessages('q', spec(5000, 10))).received.map((m) => m.body), ['three']);

    // After the visibility timeout the message comes back, with a new token and its first receive time kept.
    const again = await queues.receiveMessages('q', { ...spec(32_000, 1), tokens: ['second'] });
    assert.deepEqual(again.received.map((m) => [m.body, m.receiveCount, m.firstReceivedAt, m.receiptToken]), [['one', 2, 2000, 'second']]);
  });

  it('deletes only with the current receipt token; a message already gone counts as deleted', async () => {
    const { queues } = t().store;
    await queues.createQueue(queue('q'));
    const [m] = await queues.insertMessages([message('q', 'x')], 0);
    await queues.receiveMessages('q', { ...spec(2000, 1), tokens: ['old'], visibleAt: 2000 });
    await queues.receiveMessages('q', { ...spec(2000, 1), tokens: ['new'] });
    assert.deepEqual(await queues.deleteMessages('q', [{ id: m!.id, token: 'old' }]), [false], 'a stale handle deletes nothing');
    assert.deepEqual(await queues.deleteMessages('q', [{ id: m!.id, token: 'new' }, { id: m!.id, token: 'new' }, { id: 'unknown', token: 'x' }]), [true, true, true]);
    assert.deepEqual(await queues.counts('q', 2000), { visible: 0, inFlight: 0, delayed: 0 });
    assert.deepEqual(await queues.deleteMessages('q', []), []);
  });

  it('changes the visibility of messages in flight under their token only', async () => {
    const { queues } = t().store;
    await queues.createQueue(queue('q'));
    const [a, b] = await queues.insertMessages([message('q', 'a'), message('q', 'b')], 0);
    const { received } = await queues.receiveMessages('q', spec(2000, 2));
    const [ta, tb] = received.map((m) => m.receiptToken!);
    const done = await queues.changeVisibility('q', 2000, [
      { id: a!.id, token: ta!, visibleAt: 2500 },
      { id: b!.id, token: 'wrong', visibleAt: 2500 },
    ]);
    assert.deepEqual(done, [true, false]);
    assert.equal(await queues.nextVisibleAt('q', 2000), 2500);
    assert.deepEqual((await queues.receiveMessages('q', spec(2500, 10))).received.map((m) => m.body), ['a']);
    // Not in flight any more (visible again): no change.
    assert.deepEqual(await queues.changeVisibility('q', 40_000, [{ id: b!.id, token: tb!, visibleAt: 50_000 }]), [false]);
    assert.deepEqual(await queues.changeVisibility('q', 0, []), []);
  });

  it('purges what was sent up to a time', async () => {
    const { queues } = t().store;
    await queues.createQueue(queue('q'));
    await queues.insertMessages([message('q', 'a', { sentAt: 1000 }), message('q', 'b', { sentAt: 2000 }), message('q', 'c', { sentAt: 3000 })], 0);
    assert.equal(await queues.purge('q', 2000), 2);
    assert.deepEqual(await queues.counts('q', 3000), { visible: 1, inFlight: 0, delayed: 0, oldestSentAt: 3000 });
    assert.equal(await queues.nextVisibleAt('q', 3000), undefined);
  });

  it('drops FIFO duplicates inside the deduplication window, naming the original', async () => {
    const { queues } = t().store;
    await queues.createQueue(queue('q.fifo'));
    const fifo = (body: string, dedup: string, sentAt: number) => message('q.fifo', body, { groupId: 'g', deduplicationId: dedup, sentAt, visibleAt: sentAt });
    const [first, inBatch] = await queues.insertMessages([fifo('a', 'd1', 1000), fifo('a again', 'd1', 1000)], 0);
    assert.equal(first!.duplicate, false);
    assert.deepEqual(inBatch, { id: first!.id, seq: first!.seq, duplicate: true });
    const [later] = await queues.insertMessages([fifo('a later', 'd1', 2000)], 999);
    assert.deepEqual(later, { id: first!.id, seq: first!.seq, duplicate: true });
    // Once the original is older than the window, the same id is a new message.
    const [fresh] = await queues.insertMessages([fifo('a fresh', 'd1', 3000)], 1000);
    assert.equal(fresh!.duplicate, false);
    assert.notEqual(fresh!.id, first!.id);
    assert.equal((await queues.counts('q.fifo', 3000)).visible, 2);
  });

  it('keeps one batch in flight per FIFO group, in sequence order, and frees the group when it is deleted', async () => {
    const { queues } = t().store;
    await queues.createQueue(queue('q.fifo'));
    const fifo = (body: string, groupId: string) => message('q.fifo', body, { groupId, deduplicationId: body });
    await queues.insertMessages([fifo('a1', 'a'), fifo('b1', 'b'), fifo('a2', 'a'), fifo('a3', 'a'), fifo('b2', 'b')], 0);
    const fifoSpec = (now: number, n: number) => spec(now, n, { fifo: true });

    const one = await queues.receiveMessages('q.fifo', fifoSpec(2000, 2));
    assert.deepEqual(one.received.map((m) => m.body), ['a1', 'b1']);
    const blocked = await queues.receiveMessages('q.fifo', fifoSpec(2000, 10));
    assert.deepEqual(blocked.received, [], 'both groups have a message in flight');

    await queues.deleteMessages('q.fifo', [{ id: one.received[0]!.id, token: one.received[0]!.receiptToken! }]);
    const next = await queues.receiveMessages('q.fifo', fifoSpec(2000, 10));
    assert.deepEqual(next.received.map((m) => m.body), ['a2', 'a3'], 'group a is free again; b is still in flight');

    // Every visibility timeout has run out: the whole queue again, in sequence order.
    const retry = await queues.receiveMessages('q.fifo', fifoSpec(32_000, 10));
    assert.deepEqual(retry.received.map((m) => m.body), ['b1', 'a2', 'a3', 'b2']);
  });

  it('moves messages received too often to the dead-letter queue instead of delivering them', async () => {
    const { queues } = t().store;
    await queues.createQueue(queue('src'));
    await queues.createQueue(queue('dlq'));
    await queues.insertMessages([message('src', 'poison'), message('src', 'fine', { sentAt: 1001, visibleAt: 1001 })], 0);
    const deadLetter = { queue: 'dlq', maxReceiveCount: 1, sourceArn: DLQ_ARN };
    const first = await queues.receiveMessages('src', { ...spec(2000, 1), visibleAt: 2000, deadLetter });
    assert.deepEqual(first.received.map((m) => m.body), ['poison']);

    const second = await queues.receiveMessages('src', spec(2000, 2, { deadLetter }));
    assert.equal(second.deadLettered, 1);
    assert.deepEqual(second.received.map((m) => m.body), ['fine']);
    assert.deepEqual(await queues.counts('dlq', 2000), { visible: 1, inFlight: 0, delayed: 0, oldestSentAt: 1000 });
    assert.deepEqual(await queues.deadLetterSources('dlq'), [DLQ_ARN]);
    const moved = await queues.receiveMessages('dlq', spec(2000, 1));
    assert.deepEqual(moved.received.map((m) => [m.body, m.receiveCount, m.deadLetterSourceArn]), [['poison', 1, DLQ_ARN]]);
  });

  it('moves chosen messages, or all (optionally only those from one source), to another queue', async () => {
    const { queues } = t().store;
    for (const name of ['a', 'b', 'c']) await queues.createQueue(queue(name));
    const [m1, m2, m3] = await queues.insertMessages([message('a', '1'), message('a', '2'), message('a', '3')], 0);
    await queues.receiveMessages('a', spec(1500, 3));
    assert.equal(await queues.moveMessages('a', 'b', [m1!.id, m2!.id, 'unknown'], 2000, 'arn:one'), 2);
    assert.equal(await queues.moveMessages('a', 'b', [m3!.id], 2000, 'arn:two'), 1);
    assert.equal(await queues.moveMessages('a', 'b', [], 2000, null), 0);
    assert.deepEqual((await queues.deadLetterSources('b')).sort(), ['arn:one', 'arn:two']);
    const inB = (await queues.receiveMessages('b', { ...spec(2000, 10), visibleAt: 2000 })).received;
    assert.deepEqual(inB.map((m) => [m.body, m.receiveCount]), [['1', 1], ['2', 1], ['3', 1]], 'moved messages start their receive count again');

    assert.equal(await queues.moveAllMessages('b', 'c', 3000, 'arn:one'), 2);
    assert.deepEqual(await queues.deadLetterSources('c'), [], 'a redrive clears the source');
    assert.equal(await queues.moveAllMessages('b', 'c', 3000), 1);
    assert.deepEqual(await queues.counts('b', 3000), { visible: 0, inFlight: 0, delayed: 0 });
    assert.equal((await queues.counts('c', 3000)).visible, 3);
  });

  it('gives concurrent receives on one queue different messages', async () => {
    const { queues } = t().store;
    const other = await t().openAnother();
    await queues.createQueue(queue('q'));
    await queues.insertMessages([...Array(40)].map((_, i) => message('q', `m${i}`)), 0);
    const results = await Promise.all([...Array(8)].map((_, i) => (i % 2 ? other : t().store).queues.receiveMessages('q', spec(2000, 5))));
    const ids = results.flatMap((r) => r.received.map((m) => m.id));
    assert.equal(ids.length, 40);
    assert.equal(new Set(ids).size, 40);
  });
});
