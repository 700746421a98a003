import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ArchiveRecord, ReplayRecord } from '../../src/services/events/archive-model.js';
import { testStoreKind, useTestStore } from '../helpers/test-store.js';

const archive = (name: string, busName: string, retentionDays = 0): ArchiveRecord => ({ name, busName, retentionDays, createdAt: 1_000 });

const replay = (name: string, revision = 0, state: ReplayRecord['state'] = 'STARTING'): ReplayRecord => ({
  name,
  revision,
  archiveName: 'a1',
  destinationBus: 'orders',
  filterRuleArns: [],
  eventStartTime: 0,
  eventEndTime: 10_000,
  state,
  lastSeq: 0,
  replayStartTime: 5_000,
});

describe(`EventBridge archives and replays (${testStoreKind()})`, () => {
  const t = useTestStore();

  it('creates archives once, lists them by prefix, bus and page, updates and deletes them with their events', async () => {
    const repo = t().store.eventArchives;
    assert.equal(await repo.createArchive(archive('a1', 'orders')), true);
    assert.equal(await repo.createArchive(archive('a1', 'other')), false);
    assert.equal(await repo.createArchive(archive('a2', 'other')), true);
    assert.equal(await repo.createArchive(archive('b1', 'orders')), true);
    assert.deepEqual(await repo.getArchive('a1'), archive('a1', 'orders'));
    assert.equal(await repo.getArchive('zz'), undefined);
    assert.deepEqual((await repo.listArchives('a', undefined, undefined, 10)).map((a) => a.name), ['a1', 'a2']);
    assert.deepEqual((await repo.listArchives('', 'orders', undefined, 10)).map((a) => a.name), ['a1', 'b1']);
    assert.deepEqual((await repo.listArchives('', undefined, 'a1', 1)).map((a) => a.name), ['a2']);
    assert.equal(await repo.updateArchive({ ...archive('a1', 'orders', 3), description: 'd' }), true);
    assert.equal((await repo.getArchive('a1'))?.description, 'd');
    assert.equal(await repo.updateArchive(archive('zz', 'orders')), false);

    await repo.appendEvents([
      { archiveName: 'a1', time: 100, event: '{"n":1}' },
      { archiveName: 'a2', time: 100, event: '{"n":2}' },
    ]);
    assert.equal(await repo.deleteArchive('a1'), true);
    assert.equal(await repo.deleteArchive('a1'), false);
    assert.deepEqual(await repo.usage('a1'), { count: 0, bytes: 0 });
    assert.deepEqual(await repo.usage('a2'), { count: 1, bytes: 7 });
  });

  it('keeps events in order, reads a time window after a position, counts and trims them', async () => {
    const repo = t().store.eventArchives;
    await repo.createArchive(archive('w', 'orders'));
    await repo.appendEvents([100, 300, 200, 400].map((time, i) => ({ archiveName: 'w', time, event: `{"i":${i}}` })));
    const all = await repo.readEvents('w', 0, 1_000, 0, 10);
    assert.deepEqual(all.map((e) => e.event), ['{"i":0}', '{"i":1}', '{"i":2}', '{"i":3}']);
    assert.ok(all.every((e, i) => i === 0 || e.seq > all[i - 1]!.seq));
    // The window is [from, to): 400 is left out; positions continue a read.
    const window = await repo.readEvents('w', 200, 400, 0, 10);
    assert.deepEqual(window.map((e) => e.time), [300, 200]);
    assert.deepEqual((await repo.readEvents('w', 200, 400, window[0]!.seq, 10)).map((e) => e.time), [200]);
    assert.deepEqual((await repo.readEvents('w', 0, 1_000, 0, 2)).map((e) => e.time), [100, 300]);
    assert.deepEqual(await repo.usage('w'), { count: 4, bytes: 28 });
    assert.equal(await repo.trim('w', 250), 2);
    assert.deepEqual((await repo.readEvents('w', 0, 1_000, 0, 10)).map((e) => e.time), [300, 400]);
  });

  it('creates replays once and changes them by compare-and-set on the revision', async () => {
    const repo = t().store.eventArchives;
    assert.equal(await repo.createReplay(replay('r1')), true);
    assert.equal(await repo.createReplay(replay('r1')), false);
    await repo.createReplay(replay('r2'));
    assert.equal(await repo.updateReplay({ ...replay('r1', 1, 'RUNNING'), lastSeq: 7 }), true);
    assert.equal(await repo.updateReplay(replay('r1', 1, 'CANCELLING')), false);
    assert.deepEqual(await repo.getReplay('r1'), { ...replay('r1', 1, 'RUNNING'), lastSeq: 7 });
    assert.equal(await repo.getReplay('nope'), undefined);
    assert.deepEqual((await repo.listReplays('r', undefined, 10)).map((r) => r.name), ['r1', 'r2']);
    assert.deepEqual((await repo.listReplays('', 'r1', 10)).map((r) => r.name), ['r2']);
  });
});
