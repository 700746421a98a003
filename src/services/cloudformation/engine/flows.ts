/**
 * The operations a stack goes through, each from a stored state so that a restarted server can
 * take any of them up again: create (and its rollback), update (cleanup, or rollback and its
 * cleanup), delete.
 */
import { isDeepStrictEqual } from 'node:util';
import type { ResourceRecord, StackRecord } from '../model.js';
import { applyTemplate, reasonOf, type EngineDeps } from './apply.js';
import type { Evaluation } from './evaluation.js';
import { computeOutputs, exportProblem, exportsInUse, saveExports } from './outputs.js';
import { resourceContext } from './resource-context.js';
import { teardown } from './teardown.js';
import { updateInPlace } from './update-policy.js';
import { topologicalOrder } from '../template/dependencies.js';

const failedTo = (verb: string, id: string) => `The following resource(s) failed to ${verb}: [${id}]. `;

/** From CREATE_IN_PROGRESS: the resources, then the outputs; a failure rolls back (or stops, with DisableRollback). */
export async function runCreate(deps: EngineDeps, stack: StackRecord, evaluation: Evaluation): Promise<StackRecord> {
  const outcome = await applyTemplate(deps, stack, evaluation, new Map());
  let reason: string;
  if (outcome.ok) {
    const outputs = computeOutputs(evaluation, outcome.resolved);
    const problem = await exportProblem(deps.journal.repo, stack, outputs);
    if (!problem) {
      await saveExports(deps.journal.repo, stack, outputs, evaluation.imports);
      return deps.journal.move(stack, 'CREATE_COMPLETE', undefined, { outputs });
    }
    reason = problem;
  } else reason = failedTo('create', outcome.failed);
  if (stack.disableRollback) return deps.journal.move(stack, 'CREATE_FAILED', reason);
  const rolledBack = await rollbackCreate(deps, await deps.journal.move(stack, 'ROLLBACK_IN_PROGRESS', `${reason}Rollback requested by user.`));
  if (!stack.deleteOnFailure || rolledBack.status !== 'ROLLBACK_COMPLETE') return rolledBack;
  return runDelete(deps, await deps.journal.move(rolledBack, 'DELETE_IN_PROGRESS', 'OnFailure DELETE was requested'));
}

/** From ROLLBACK_IN_PROGRESS (or DELETE_IN_PROGRESS's like): every resource deleted. */
export async function rollbackCreate(deps: EngineDeps, stack: StackRecord): Promise<StackRecord> {
  const records = await deps.journal.repo.resources(stack.stackId);
  const out = await teardown(deps, stack, records, { policy: () => 'deletion', dropRecord: () => true });
  if (!out.ok) return deps.journal.move(stack, 'ROLLBACK_FAILED', failedTo('delete', out.failed));
  return deps.journal.move(stack, 'ROLLBACK_COMPLETE', undefined);
}

/** From UPDATE_IN_PROGRESS, with `stack.previous` holding what it was. */
export async function runUpdate(deps: EngineDeps, stack: StackRecord, evaluation: Evaluation): Promise<StackRecord> {
  const existing = new Map((await deps.journal.repo.resources(stack.stackId)).map((r) => [r.logicalId, r]));
  const outcome = await applyTemplate(deps, stack, evaluation, existing);
  let reason: string;
  if (outcome.ok) {
    const outputs = computeOutputs(evaluation, outcome.resolved);
    const problem = await exportProblem(deps.journal.repo, stack, outputs);
    if (!problem) {
      const current = await deps.journal.repo.resources(stack.stackId);
      // Replaced resources (another physical id now) and removed ones (gone from the template).
      const orphans = (stack.previous?.resources ?? []).filter((p) => !(p.logicalId in evaluation.resources) || !current.some((c) => c.logicalId === p.logicalId && c.physicalId === p.physicalId));
      await saveExports(deps.journal.repo, stack, outputs, evaluation.imports);
      const cleaning = await deps.journal.move(stack, 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS', undefined, { outputs, orphans });
      return cleanupUpdate(deps, cleaning);
    }
    reason = problem;
  } else reason = failedTo(existing.has(outcome.failed) ? 'update' : 'create', outcome.failed);
  if (stack.disableRollback) return deps.journal.move(stack, 'UPDATE_FAILED', reason);
  return rollbackUpdate(deps, await deps.journal.move(stack, 'UPDATE_ROLLBACK_IN_PROGRESS', reason));
}

/** From UPDATE_COMPLETE_CLEANUP_IN_PROGRESS: replaced and removed resources deleted; their failures do not fail the update. */
export async function cleanupUpdate(deps: EngineDeps, stack: StackRecord): Promise<StackRecord> {
  const records = new Map((await deps.journal.repo.resources(stack.stackId)).map((r) => [r.logicalId, r]));
  // An orphan whose logical id now names another physical resource was replaced; otherwise it was removed.
  const replaced = (r: ResourceRecord) => records.has(r.logicalId) && records.get(r.logicalId)!.physicalId !== r.physicalId;
  await teardown(deps, stack, stack.orphans ?? [], { policy: (r) => (replaced(r) ? 'replace' : 'deletion'), dropRecord: (r) => !replaced(r) });
  const { previous: _p, orphans: _o, ...rest } = stack;
  return deps.journal.move({ ...rest, status: stack.status }, 'UPDATE_COMPLETE', undefined);
}

/** From UPDATE_ROLLBACK_IN_PROGRESS: every resource back as `stack.previous` had it, then the new ones deleted. */
export async function rollbackUpdate(deps: EngineDeps, stack: StackRecord): Promise<StackRecord> {
  const previous = stack.previous;
  if (!previous) return deps.journal.move(stack, 'UPDATE_ROLLBACK_FAILED', 'The state before the update is unknown');
  const same = (a: ResourceRecord, b: ResourceRecord) => a.logicalId === b.logicalId && a.physicalId === b.physicalId;
  const current = await deps.journal.repo.resources(stack.stackId);
  const fresh = current.filter((c) => c.physicalId !== undefined && !previous.resources.some((p) => same(p, c)));
  const orphans = [...(stack.orphans ?? []).filter((o) => !fresh.some((f) => same(f, o))), ...fresh];
  stack = { ...stack, orphans };
  await deps.journal.save(stack);
  const byId = new Map(current.map((c) => [c.logicalId, c]));
  const prevById = new Map(previous.resources.map((p) => [p.logicalId, p]));
  const order = topologicalOrder(new Map(previous.resources.map((p) => [p.logicalId, new Set((p.dependsOn ?? []).filter((d) => prevById.has(d)))])));
  for (const id of order) {
    const prev = prevById.get(id)!;
    const cur = byId.get(id);
    try {
      if (cur && same(cur, prev) && !isDeepStrictEqual(cur.properties, prev.properties) && prev.physicalId !== undefined) {
        const provider = deps.providerFor(prev.type);
        await deps.journal.resourceEvent(stack, prev, 'UPDATE_IN_PROGRESS');
        // The policy of the state it returns to: an alias CodeDeploy had moved goes back through CodeDeploy.
        const made = await updateInPlace(provider!, prev.type, prev.updatePolicy, prev.physicalId, prev.properties, cur.properties, resourceContext(stack, id, prev.type, deps));
        await deps.journal.resource(stack, { ...prev, attributes: { ...made.attributes }, status: 'UPDATE_COMPLETE' });
      } else if (!cur || !isDeepStrictEqual(cur, prev)) {
        await deps.journal.resource(stack, { ...prev, status: 'UPDATE_COMPLETE' });
      }
    } catch (err) {
      await deps.journal.resourceEvent(stack, prev, 'UPDATE_FAILED', reasonOf(err));
      return deps.journal.move(stack, 'UPDATE_ROLLBACK_FAILED', failedTo('update', id));
    }
  }
  const { processedBody: _p, ...unprocessed } = stack;
  const restored = await deps.journal.move(unprocessed as StackRecord, 'UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS', undefined, {
    ...(previous.processedBody !== undefined ? { processedBody: previous.processedBody } : {}),
    templateBody: previous.templateBody,
    parameters: previous.parameters,
    outputs: previous.outputs,
    tags: previous.tags,
  });
  return cleanupRollback(deps, restored);
}

/** From UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS: what the failed update made, deleted. */
export async function cleanupRollback(deps: EngineDeps, stack: StackRecord): Promise<StackRecord> {
  const keep = new Set((stack.previous?.resources ?? []).map((p) => p.logicalId));
  await teardown(deps, stack, stack.orphans ?? [], { policy: () => 'none', dropRecord: (r) => !keep.has(r.logicalId) });
  const { previous: _p, orphans: _o, ...rest } = stack;
  return deps.journal.move({ ...rest, status: stack.status }, 'UPDATE_ROLLBACK_COMPLETE', undefined);
}

/** From DELETE_IN_PROGRESS: refused while another stack imports an export; else every resource deleted but those `retain` names. */
export async function runDelete(deps: EngineDeps, stack: StackRecord, retain: readonly string[] = []): Promise<StackRecord> {
  const repo = deps.journal.repo;
  const inUse = await exportsInUse(repo, stack);
  if (inUse) return deps.journal.move(stack, 'DELETE_FAILED', inUse);
  const records = (await repo.resources(stack.stackId)).map((r) => (retain.includes(r.logicalId) ? { ...r, deletionPolicy: 'Retain' } : r));
  const out = await teardown(deps, stack, records, { policy: () => 'deletion', dropRecord: () => true });
  if (!out.ok) return deps.journal.move(stack, 'DELETE_FAILED', failedTo('delete', out.failed));
  await repo.setExports(stack.stackId, []);
  await repo.setImports(stack.stackId, []);
  for (const c of await repo.changeSets(stack.stackId)) await repo.deleteChangeSet(c.changeSetId);
  return deps.journal.move(stack, 'DELETE_COMPLETE', undefined);
}

/** Takes up an operation a previous server left under way: rolls it back, or finishes its cleanup or deletion. */
export async function resume(deps: EngineDeps, stack: StackRecord): Promise<StackRecord> {
  const why = 'The server restarted while the operation was under way. ';
  switch (stack.status) {
    case 'CREATE_IN_PROGRESS':
      if (stack.disableRollback) return deps.journal.move(stack, 'CREATE_FAILED', why);
      return rollbackCreate(deps, await deps.journal.move(stack, 'ROLLBACK_IN_PROGRESS', `${why}Rollback requested by user.`));
    case 'ROLLBACK_IN_PROGRESS':
      return rollbackCreate(deps, stack);
    case 'UPDATE_IN_PROGRESS':
      if (stack.disableRollback) return deps.journal.move(stack, 'UPDATE_FAILED', why);
      return rollbackUpdate(deps, await deps.journal.move(stack, 'UPDATE_ROLLBACK_IN_PROGRESS', why));
    case 'UPDATE_ROLLBACK_IN_PROGRESS':
      return rollbackUpdate(deps, stack);
    case 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS':
      return cleanupUpdate(deps, stack);
    case 'UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS':
      return cleanupRollback(deps, stack);
    case 'DELETE_IN_PROGRESS':
      return runDelete(deps, stack);
    default:
      return stack;
  }
}
