/**
 * A change set's change list: what executing it would add, modify (in place, or replacing the
 * resource: True, False, or Conditional when it depends on values only known at execution) and remove.
 */
import type { ReferenceLookups } from '../../security/dynamic-references.js';
import { changedKeys, resolvedOf } from './engine/apply.js';
import { resolveDynamicReferences } from './engine/dynamic-refs.js';
import type { Evaluation } from './engine/evaluation.js';
import type { ResourceChange, ResourceRecord } from './model.js';
import type { Properties, ResourceProvider } from './provider.js';
import { topologicalOrder } from './template/dependencies.js';
import { resolveValue } from './template/intrinsics.js';

export async function computeChanges(
  evaluation: Evaluation,
  existing: readonly ResourceRecord[],
  providerFor: (type: string) => ResourceProvider | undefined,
  lookups: ReferenceLookups,
): Promise<ResourceChange[]> {
  const old = new Map(existing.map((r) => [r.logicalId, r]));
  const resolved = new Map(existing.map((r) => [r.logicalId, resolvedOf(r)]));
  const changes = new Map<string, ResourceChange>();
  // Values of resources that will be added or replaced are unknown until execution.
  const unknown = new Set<string>();
  for (const id of topologicalOrder(evaluation.graph)) {
    const decl = evaluation.resources[id]!;
    const before = old.get(id);
    if (!before) {
      changes.set(id, { action: 'Add', logicalId: id, type: decl.type, scope: [], details: [] });
      unknown.add(id);
      continue;
    }
    const base = { action: 'Modify' as const, logicalId: id, type: decl.type, ...(before.physicalId ? { physicalId: before.physicalId } : {}) };
    if (before.type !== decl.type) {
      changes.set(id, { ...base, replacement: 'True', scope: ['Properties'], details: [] });
      unknown.add(id);
      continue;
    }
    const replaceOn = providerFor(decl.type)?.replaceOn ?? [];
    const deps = [...(evaluation.graph.get(id) ?? [])].filter((d) => unknown.has(d));
    let after: Properties | undefined;
    try {
      if (deps.length === 0) after = await resolveDynamicReferences(decl.type, resolveValue(decl.properties, evaluation.context(resolved)) as Properties, lookups);
    } catch {
      after = undefined;
    }
    if (after === undefined) {
      // It reads values that change at execution: which properties change is known only then.
      changes.set(id, { ...base, replacement: 'Conditional', scope: ['Properties'], details: deps.map((d) => ({ name: d, requiresRecreation: 'Conditionally', evaluation: 'Dynamic' })) });
      continue;
    }
    const keys = changedKeys(before.properties, after);
    if (keys.length === 0) continue;
    const replaces = keys.some((k) => replaceOn.includes(k));
    changes.set(id, {
      ...base,
      replacement: replaces ? 'True' : 'False',
      scope: ['Properties'],
      details: keys.map((k) => ({ name: k, requiresRecreation: replaceOn.includes(k) ? 'Always' : 'Never', evaluation: 'Static' })),
    });
    if (replaces) unknown.add(id);
  }
  for (const r of existing) {
    if (!(r.logicalId in evaluation.resources)) changes.set(r.logicalId, { action: 'Remove', logicalId: r.logicalId, type: r.type, ...(r.physicalId ? { physicalId: r.physicalId } : {}), scope: [], details: [] });
  }
  return [...changes.values()];
}
