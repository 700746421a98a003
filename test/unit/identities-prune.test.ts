import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ManualClock } from '../../src/lib/clock.js';
import { Identities, PRUNE_INTERVAL_MS } from '../../src/security/identities.js';
import { openSqliteStore } from '../../src/storage/sqlite/sqlite-store.js';

const dir = mkdtempSync(join(tmpdir(), 'selfless-identities-'));
const store = openSqliteStore(dir);
after(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('issued sessions', () => {
  it('are pruned once expired, at most once a minute rather than at every session issued', async () => {
    const clock = new ManualClock(1_000_000_000_000);
    const identities = new Identities(store.sessions, clock, '123456789012');
    const role = { roleArn: 'arn:aws:iam::123456789012:role/r', sessionName: 's', durationSeconds: 900 };
    const first = (await identities.assumeRole(role)).session; // prunes: the first issue
    clock.advance(900_000 + 1);
    await identities.assumeRole(role); // 900 s after the last prune: prunes
    assert.equal(await store.sessions.get(first.accessKeyId), undefined, 'expired and pruned');

    const second = (await identities.assumeRole({ ...role, durationSeconds: 1 })).session;
    clock.advance(2_000);
    await identities.assumeRole(role);
    assert.ok(await store.sessions.get(second.accessKeyId), 'expired, but the last prune was 2 s ago');
    clock.advance(PRUNE_INTERVAL_MS);
    await identities.assumeRole(role);
    assert.equal(await store.sessions.get(second.accessKeyId), undefined, 'pruned a minute later');
  });
});
