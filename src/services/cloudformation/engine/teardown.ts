/**
 * Deletes resources in the reverse of their dependency order (a resource after everything that
 * depends on it), honouring DeletionPolicy or UpdateReplacePolicy: Retain keeps the resource;
 * Snapshot, which nothing here can take, keeps it too and says so.
 */
import type { ResourceRecord, StackRecord } from '../model.js';
import { reasonOf, type EngineDeps } from './apply.js';
import { resourceContext } from './resource-context.js';
import { runGraph } from './run-graph.js';

export interface TeardownOptions {
  /** Which policy decides whether a resource is kept: its DeletionPolicy, its UpdateReplacePolicy, or none. */
  policy(r: ResourceRecord): 'deletion' | 'replace' | 'none';
  /** Whether the resource's record goes with it (not for the old half of a replacement: the record is the new one's). */
  dropRecord(r: ResourceRecord): boolean;
}

export type TeardownOutcome = { ok: true } | { ok: false; failed: string; reason: string };

const keyOf = (r: ResourceRecord) => `${r.logicalId}|${r.physicalId ?? ''}`;

export async function teardown(deps: EngineDeps, stack: StackRecord, records: readonly ResourceRecord[], opts: TeardownOptions): Promise<TeardownOutcome> {
  const { journal } = deps;
  const byKey = new Map(records.map((r) => [keyOf(r), r]));
  // Deleting A waits for every resource that depends on A.
  const dependents = new Map<string, string[]>();
  for (const r of records) {
    for (const d of r.dependsOn ?? []) {
      for (const target of records.filter((x) => x.logicalId === d)) {
        const list = dependents.get(keyOf(target)) ?? [];
        list.push(keyOf(r));
        dependents.set(keyOf(target), list);
      }
    }
  }
  const failures = new Map<string, string>();
  const work = async (key: string): Promise<void> => {
    const r = byKey.get(key)!;
    const which = opts.policy(r);
    const policy = which === 'deletion' ? r.deletionPolicy : which === 'replace' ? r.updateReplacePolicy : undefined;
    const finish = async (status: string, reason?: string) => {
      await journal.resourceEvent(stack, r, status, reason);
      if (opts.dropRecord(r)) await journal.repo.deleteResource(stack.stackId, r.logicalId);
    };
    if (r.physicalId === undefined) return finish('DELETE_COMPLETE');
    if (policy === 'Retain' || policy === 'RetainExceptOnCreate') return finish('DELETE_SKIPPED');
    if (policy === 'Snapshot') return finish('DELETE_SKIPPED', 'Snapshot is not supported by this server: the resource was retained instead');
    const provider = deps.providerFor(r.type);
    if (!provider) return finish('DELETE_SKIPPED', `Resource type ${r.type} is not supported by this server: nothing to delete`);
    await journal.resourceEvent(stack, r, 'DELETE_IN_PROGRESS');
    try {
      await provider.delete(r.physicalId, r.properties, resourceContext(stack, r.logicalId, r.type, deps));
    } catch (err) {
      const reason = reasonOf(err);
      failures.set(key, reason);
      if (opts.dropRecord(r)) await journal.repo.putResource({ ...r, status: 'DELETE_FAILED', statusReason: reason, updatedAt: journal.clock.now() });
      await journal.resourceEvent(stack, r, 'DELETE_FAILED', reason);
      throw err;
    }
    await finish('DELETE_COMPLETE');
  };
  const run = await runGraph([...byKey.keys()].sort(), (key) => dependents.get(key) ?? [], deps.concurrency, work);
  if (!run.failed) return { ok: true };
  const r = byKey.get(run.failed.id)!;
  return { ok: false, failed: r.logicalId, reason: failures.get(run.failed.id) ?? reasonOf(run.failed.error) };
}
