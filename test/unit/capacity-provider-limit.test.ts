/** The account's capacity-provider quota: past it, CreateCapacityProvider is Lambda's CapacityProviderLimitExceededException. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { CapacityProviderService, type CapacityProviderInput } from '../../src/functions/capacity-provider-service.js';
import type { FunctionService } from '../../src/functions/function-service.js';
import { ManualClock } from '../../src/lib/clock.js';
import { openSqliteStore } from '../../src/storage/sqlite/sqlite-store.js';
import { AwsError } from '../../src/wire/errors.js';

const input: CapacityProviderInput = {
  vpc: { subnetIds: ['subnet-1'], securityGroupIds: [] },
  operatorRoleArn: 'arn:aws:iam::000000000000:role/operator',
  scaling: { mode: 'Auto', policies: [] },
  tags: {},
};

test('a provider past the quota is refused with CapacityProviderLimitExceededException; a deletion makes room', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'capacity-limit-'));
  const store = openSqliteStore(dir);
  try {
    // Creating and counting never reach the function service; deleting a provider no function uses scans none.
    const functions = { all: async function* () {} } as unknown as FunctionService;
    const providers = new CapacityProviderService(store.capacityProviders, functions, store.versions, new ManualClock(0), { region: 'us-east-1', accountId: '000000000000' }, 2);
    await providers.create('a', input);
    await providers.create('b', input);
    const err = await providers.create('c', input).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(err instanceof AwsError);
    assert.equal(err.name, 'CapacityProviderLimitExceededException');
    assert.equal(err.kind.status, 400);
    await providers.delete('a');
    assert.equal((await providers.create('c', input)).state, 'Active');
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
