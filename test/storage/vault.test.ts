import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KmsAliasRecord } from '../../src/domain/kms.js';
import type { ParameterRecord } from '../../src/domain/parameter.js';
import { testStoreKind, useTestStore } from '../helpers/test-store.js';

const alias = (name: string, keyId: string): KmsAliasRecord => ({ name, keyId, createdAt: 1, updatedAt: 2 });
const parameter = (name: string, value: string): ParameterRecord => ({
  name,
  tags: [{ key: 'team', value: 'a' }],
  versions: [{ version: 1, type: 'String', value, tier: 'Standard', dataType: 'text', labels: ['prod'], modifiedAt: 5, modifiedBy: 'arn:x' }],
});

describe(`the secrets vault's documents (${testStoreKind()})`, () => {
  const t = useTestStore();

  it('create refuses a taken key; get returns the document at its revision', async () => {
    const { kmsAliases } = t().store.vault;
    assert.equal(await kmsAliases.create('alias/a', alias('alias/a', 'k1')), true);
    assert.equal(await kmsAliases.create('alias/a', alias('alias/a', 'k2')), false);
    assert.deepEqual(await kmsAliases.get('alias/a'), { value: alias('alias/a', 'k1'), revision: 1 });
    assert.equal(await kmsAliases.get('alias/none'), undefined);
  });

  it('update compares and sets the revision: a stale writer loses', async () => {
    const { parameters } = t().store.vault;
    await parameters.create('/app/db', parameter('/app/db', 'v1'));
    assert.equal(await parameters.update('/app/db', parameter('/app/db', 'v2'), 1), true);
    assert.equal(await parameters.update('/app/db', parameter('/app/db', 'stale'), 1), false, 'revision 1 is gone');
    assert.deepEqual(await parameters.get('/app/db'), { value: parameter('/app/db', 'v2'), revision: 2 });
    assert.equal(await parameters.update('/app/none', parameter('/app/none', 'x'), 1), false);
  });

  it('lists by prefix in code-point order, pages after a key, and deletes', async () => {
    const { parameters } = t().store.vault;
    for (const n of ['/b/2', '/a/Z', '/a/b', '/a/a', '/a', '/ab', '/a/é']) await parameters.create(n, parameter(n, n));
    const names = async (prefix: string, after?: string, limit = 10) => (await parameters.list(prefix, after, limit)).map((p) => p.value.name);
    assert.deepEqual(await names('/a/'), ['/a/Z', '/a/a', '/a/b', '/a/é']);
    assert.deepEqual(await names('/a/', '/a/Z', 2), ['/a/a', '/a/b']);
    assert.deepEqual(await names(''), ['/a', '/a/Z', '/a/a', '/a/b', '/a/é', '/ab', '/b/2']);
    assert.equal(await parameters.delete('/a/a'), true);
    assert.equal(await parameters.delete('/a/a'), false);
    assert.deepEqual(await names('/a/'), ['/a/Z', '/a/b', '/a/é']);
  });

  it('documents read back are validated: a row that is not a document is an error, not a value', async () => {
    const { secrets } = t().store.vault;
    await secrets.create('broken', { not: 'a secret' } as never);
    await assert.rejects(secrets.get('broken'));
  });

  it("the keyring keeps the first master key check recorded, also across nodes", async () => {
    const { keyring } = t().store.vault;
    assert.equal(await keyring.masterKeyCheck(), undefined);
    assert.equal(await keyring.recordMasterKeyCheck('check-1'), 'check-1');
    const other = await t().openAnother();
    assert.equal(await other.vault.keyring.recordMasterKeyCheck('check-2'), 'check-1');
    assert.equal(await keyring.masterKeyCheck(), 'check-1');
  });
});
