import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SecretVersion } from '../../src/domain/secret.js';
import { nextSecretState } from '../../src/services/secretsmanager/deletion.js';
import { nextKeyState } from '../../src/services/kms/key-states.js';
import { addVersion, moveStage } from '../../src/services/secretsmanager/staging-labels.js';

const v = (versionId: string, stages: string[], createdAt = 0): SecretVersion => ({ versionId, createdAt, stages });
const labels = (versions: SecretVersion[]) => Object.fromEntries(versions.map((x) => [x.versionId, x.stages]));

describe('staging labels', () => {
  it('AWSCURRENT moved leaves AWSPREVIOUS on the version it left, and only there', () => {
    const start = [v('a', ['AWSPREVIOUS']), v('b', ['AWSCURRENT', 'blue'])];
    assert.deepEqual(labels(addVersion(start, v('c', []), ['AWSCURRENT'])), { a: [], b: ['blue', 'AWSPREVIOUS'], c: ['AWSCURRENT'] });
    assert.deepEqual(labels(moveStage(start, 'AWSCURRENT', 'a')), { a: ['AWSCURRENT'], b: ['blue', 'AWSPREVIOUS'] });
    assert.deepEqual(labels(moveStage(start, 'blue', 'a')), { a: ['AWSPREVIOUS', 'blue'], b: ['AWSCURRENT'] });
  });

  it('keeps at most 100 deprecated versions, dropping the oldest', () => {
    let versions = [v('current', ['AWSCURRENT'], 0)];
    for (let i = 1; i <= 103; i++) versions = addVersion(versions, v(`v${i}`, [], i), ['AWSCURRENT']);
    assert.equal(versions.length, 102, "AWSCURRENT, AWSPREVIOUS and 100 deprecated");
    assert.ok(!versions.some((x) => x.versionId === 'current' || x.versionId === 'v1'));
  });
});

describe('state machines refuse what is not listed', () => {
  it('secret deletion', () => {
    assert.equal(nextSecretState('Active', 'schedule'), 'PendingDeletion');
    assert.equal(nextSecretState('Active', 'restore'), undefined);
    assert.equal(nextSecretState('PendingDeletion', 'schedule'), undefined);
    assert.equal(nextSecretState('Gone', 'restore'), undefined);
  });

  it('KMS key states', () => {
    assert.equal(nextKeyState('PendingDeletion', 'cancelDeletion'), 'Disabled');
    assert.equal(nextKeyState('PendingDeletion', 'enable'), undefined);
    assert.equal(nextKeyState('Enabled', 'cancelDeletion'), undefined);
  });
});
