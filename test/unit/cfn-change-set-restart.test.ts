import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { silentLogger } from '../../src/lib/logger.js';
import { ChangeSets } from '../../src/services/cloudformation/change-sets.js';
import type { ChangeSetRecord } from '../../src/services/cloudformation/model.js';
import type { Stacks } from '../../src/services/cloudformation/stacks.js';
import { openSqliteStore } from '../../src/storage/sqlite/sqlite-store.js';

describe('CloudFormation change sets across a restart', () => {
  it('fails the change sets a previous server left being computed, and leaves the others', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cfn-cs-restart-'));
    const store = openSqliteStore(dir);
    try {
      const repo = store.cloudformation;
      const stackId = 'arn:aws:cloudformation:us-east-1:000000000000:stack/s/1';
      await repo.createStack({ stackId, name: 's', status: 'REVIEW_IN_PROGRESS', createdAt: 1, templateBody: '', parameters: [], outputs: [], tags: {}, capabilities: [], notificationArns: [], disableRollback: false, terminationProtection: false });
      const cs = (name: string, status: ChangeSetRecord['status']): ChangeSetRecord => ({
        changeSetId: `arn:cs/${name}`, name, stackId, stackName: 's', type: 'CREATE', status, executionStatus: status === 'CREATE_COMPLETE' ? 'AVAILABLE' : 'UNAVAILABLE',
        createdAt: 1, templateBody: '{}', parameters: [], tags: {}, capabilities: [], notificationArns: [], changes: [],
      });
      for (const c of [cs('pending', 'CREATE_PENDING'), cs('computing', 'CREATE_IN_PROGRESS'), cs('done', 'CREATE_COMPLETE')]) await repo.putChangeSet(c);
      await new ChangeSets({ d: { repo } } as unknown as Stacks, silentLogger).failInterrupted();
      const after = Object.fromEntries((await repo.changeSets(stackId)).map((c) => [c.name, [c.status, c.statusReason]]));
      const reason = 'The server restarted while the change set was being created. Create it again.';
      assert.deepEqual(after, { pending: ['FAILED', reason], computing: ['FAILED', reason], done: ['CREATE_COMPLETE', undefined] });
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
