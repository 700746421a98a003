/**
 * Change signals between nodes sharing a store: what one node publishes, the others hear (batched
 * into one signal per turn of the event loop), never the publisher itself, and never a store in
 * another schema of the same database. The SQLite store is one node: it has no other to tell.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { openPostgresStore } from '../../src/storage/postgres/postgres-store.js';
import { testSchema, testStoreKind, useTestStore } from '../helpers/test-store.js';

const postgresOnly = testStoreKind() === 'postgres' ? false : 'the SQLite store is one node: no other node to signal';

/** Resolves with the keys heard once `count` of them have come, or fails after a generous wait. */
function hear(count: number, subscribe: (listener: (key: string | undefined) => void) => void): Promise<(string | undefined)[]> {
  return new Promise((resolve, reject) => {
    const heard: (string | undefined)[] = [];
    const timer = setTimeout(() => reject(new Error(`heard only ${JSON.stringify(heard)}`)), 20_000);
    subscribe((key) => {
      heard.push(key);
      if (heard.length === count) {
        clearTimeout(timer);
        resolve(heard);
      }
    });
  });
}

describe(`change signals (${testStoreKind()})`, { skip: postgresOnly }, () => {
  const t = useTestStore();

  it('reach the other nodes of the store with every key published, not the publisher', async () => {
    const a = t().store;
    const b = await t().openAnother();
    const ownHeard: (string | undefined)[] = [];
    a.signals.subscribe('sqs', (k) => ownHeard.push(k));
    const otherChannel: (string | undefined)[] = [];
    b.signals.subscribe('other', (k) => otherChannel.push(k));
    const heard = hear(3, (l) => b.signals.subscribe('sqs', l));
    a.signals.publish('sqs', ['q1', 'q2']);
    a.signals.publish('sqs', ['q2', 'q3']);
    assert.deepEqual((await heard).sort(), ['q1', 'q2', 'q3'], 'one turn of the loop: each key once');
    // Another signal after them, heard by b, shows a's own and the other channel's listeners heard nothing before it.
    const marker = hear(1, (l) => b.signals.subscribe('sqs', l));
    a.signals.publish('sqs', ['marker']);
    assert.deepEqual(await marker, ['marker']);
    assert.deepEqual(ownHeard, []);
    assert.deepEqual(otherChannel, []);
  });

  it('split what does not fit one NOTIFY, and stay inside their schema', async () => {
    const a = t().store;
    const b = await t().openAnother();
    const elsewhere = await testSchema();
    const stranger = await openPostgresStore(elsewhere.url);
    try {
      const strangerHeard: (string | undefined)[] = [];
      stranger.signals.subscribe('sqs', (k) => strangerHeard.push(k));
      const keys = Array.from({ length: 200 }, (_, i) => `queue-with-a-long-name-${String(i).padStart(4, '0')}-${'x'.repeat(40)}`);
      const heard = hear(keys.length, (l) => b.signals.subscribe('sqs', l));
      a.signals.publish('sqs', keys);
      assert.deepEqual((await heard).sort(), keys);
      const marker = hear(1, (l) => stranger.signals.subscribe('sqs', l));
      const strangerPeer = await openPostgresStore(elsewhere.url);
      strangerPeer.signals.publish('sqs', ['own-schema']);
      assert.deepEqual(await marker, ['own-schema']);
      await strangerPeer.close();
      assert.deepEqual(strangerHeard, ['own-schema'], 'nothing from the other schema');
    } finally {
      await stranger.close();
      await elsewhere.drop();
    }
  });
});
