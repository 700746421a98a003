import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SessionRecord } from '../../src/domain/session.js';
import { testStoreKind, useTestStore } from '../helpers/test-store.js';

const session = (accessKeyId: string, expiresAt: number, role = 'deployer'): SessionRecord => ({
  accessKeyId,
  secretAccessKey: `secret-${accessKeyId}`,
  sessionToken: `token-${accessKeyId}`,
  expiresAt,
  identity: { account: '000000000000', arn: `arn:aws:sts::000000000000:assumed-role/${role}/s`, userId: `AROA${accessKeyId}:s` },
});

describe(`STS sessions (${testStoreKind()})`, () => {
  const t = useTestStore();

  it('puts (replacing), gets by access key and prunes the expired', async () => {
    const { sessions } = t().store;
    await sessions.put(session('ASIA1', 1_000));
    await sessions.put(session('ASIA2', 5_000));
    await sessions.put(session('ASIA1', 2_000, 'admin'));
    assert.deepEqual(await sessions.get('ASIA1'), session('ASIA1', 2_000, 'admin'));
    assert.equal(await sessions.get('ASIA9'), undefined);
    assert.equal(await sessions.prune(3_000), 1);
    assert.equal(await sessions.get('ASIA1'), undefined);
    assert.deepEqual(await sessions.get('ASIA2'), session('ASIA2', 5_000));
    assert.equal(await sessions.prune(3_000), 0);
  });
});
