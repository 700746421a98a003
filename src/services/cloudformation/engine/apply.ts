/**
 * Creates and updates a template's resources in dependency order, independent ones in parallel: a
 * resource that is new is created; one whose properties changed is updated in place, or replaced
 * (a new one created; the old one deleted later, in cleanup) when a changed property is in its
 * provider's `replaceOn`; one that did not change is left alone.
 */
import { isDeepStrictEqual } from 'node:util';
import type { ReferenceLookups } from '../../../security/dynamic-references.js';
import { AwsError } from '../../../wire/errors/core.js';
import type { ResourceRecord, StackRecord } from '../model.js';
import type { Properties, ResourceProvider } from '../provider.js';
import type { ResolvedResource } from '../template/context.js';
import { resolveValue } from '../template/intrinsics.js';
import { resolveDynamicReferences, type Call } from './dynamic-refs.js';
import type { Evaluation, ResourceDecl } from './evaluation.js';
import type { Journal } from './journal.js';
import { resourceContext } from './resource-context.js';
import { runGraph } from './run-graph.js';
import { updateInPlace } from './update-policy.js';

export interface EngineDeps {
  journal: Journal;
  providerFor(type: string): ResourceProvider | undefined;
  account: { region: string; accountId: string };
  call: Call;
  /** An object of this server's S3 (a definition in `BodyS3Location`); rejects when it does not exist. */
  readObject(bucket: string, key: string, versionId?: string): Promise<Buffer>;
  lookups: ReferenceLookups;
  /** Resources worked on at once. */
  concurrency: number;
}

export type ApplyOutcome = { ok: true; resolved: Map<string, ResolvedResource> } | { ok: false; failed: string; reason: string };

/** Why a provider failed, as events show it. */
export const reasonOf = (err: unknown): string =>
  err instanceof AwsError ? `Resource handler returned message: "${err.message}" (HandlerErrorCode: ${err.kind.name})` : ((err as Error)?.message ?? String(err));

export const resolvedOf = (r: ResourceRecord): ResolvedResource => ({ ref: r.ref ?? r.physicalId ?? '', attributes: r.attributes, ...(r.noEcho ? { noEcho: true } : {}) });

/** Top-level properties whose values differ. */
export const changedKeys = (before: Properties, after: Properties): string[] =>
  [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((k) => !isDeepStrictEqual(before[k], after[k])).sort();

export async function applyTemplate(deps: EngineDeps, stack: StackRecord, evaluation: Evaluation, existing: ReadonlyMap<string, ResourceRecord>): Promise<ApplyOutcome> {
  const { journal } = deps;
  const resolved = new Map<string, ResolvedResource>();
  const ids = Object.keys(evaluation.resources).sort();
  const failures = new Map<string, string>();

  const work = async (id: string): Promise<void> => {
    const decl = evaluation.resources[id]!;
    const old = existing.get(id);
    const base = baseRecord(stack, id, decl, [...(evaluation.graph.get(id) ?? [])]);
    const fail = async (status: string, reason: string, record?: ResourceRecord) => {
      failures.set(id, reason);
      if (record) await journal.resource(stack, { ...record, status }, reason);
      else await journal.resourceEvent(stack, { logicalId: id, type: decl.type, physicalId: old?.physicalId }, status, reason);
      throw new Error(reason);
    };
    const provider = deps.providerFor(decl.type);
    if (!provider) return fail(old ? 'UPDATE_FAILED' : 'CREATE_FAILED', `Resource type ${decl.type} is not supported by this server`);
    let props: Properties;
    let updatePolicy: unknown;
    try {
      props = await resolveDynamicReferences(decl.type, resolveValue(decl.properties, evaluation.context(resolved)) as Properties, deps.lookups);
      updatePolicy = decl.updatePolicy === undefined ? undefined : resolveValue(decl.updatePolicy, evaluation.context(resolved));
    } catch (err) {
      return fail(old ? 'UPDATE_FAILED' : 'CREATE_FAILED', (err as Error).message);
    }
    const record = { ...base, properties: props, ...(updatePolicy !== undefined ? { updatePolicy } : {}) };
    const ctx = resourceContext(stack, id, decl.type, deps);
    const replacing = old !== undefined && old.physicalId !== undefined && (old.type !== decl.type || changedKeys(old.properties, props).some((k) => provider.replaceOn.includes(k)));
    if (!old || !old.physicalId || replacing) {
      if (replacing) await journal.resourceEvent(stack, old!, 'UPDATE_IN_PROGRESS', 'Requested update requires the creation of a new physical resource; hence creating one.');
      else await journal.resource(stack, { ...record, status: 'CREATE_IN_PROGRESS' });
      try {
        const made = await provider.create(props, ctx);
        const done: ResourceRecord = { ...record, physicalId: made.physicalId, attributes: { ...made.attributes }, status: replacing ? 'UPDATE_COMPLETE' : 'CREATE_COMPLETE', ...(made.ref !== undefined ? { ref: made.ref } : {}), ...(made.noEcho ? { noEcho: true } : {}) };
        await journal.resource(stack, done);
        resolved.set(id, resolvedOf(done));
      } catch (err) {
        if (replacing) return fail('UPDATE_FAILED', reasonOf(err), { ...old!, status: 'UPDATE_FAILED' });
        return fail('CREATE_FAILED', reasonOf(err), { ...record, status: 'CREATE_FAILED' });
      }
      return;
    }
    if (isDeepStrictEqual(old.properties, props)) {
      const kept: ResourceRecord = { ...old, dependsOn: record.dependsOn };
      for (const k of ['deletionPolicy', 'updateReplacePolicy', 'updatePolicy', 'metadata'] as const) {
        if (record[k] === undefined) delete kept[k];
        else (kept as Record<string, unknown>)[k] = record[k];
      }
      if (!isDeepStrictEqual(kept, old)) await journal.repo.putResource(kept);
      resolved.set(id, resolvedOf(old));
      return;
    }
    await journal.resourceEvent(stack, old, 'UPDATE_IN_PROGRESS');
    try {
      const made = await updateInPlace(provider, decl.type, updatePolicy, old.physicalId, props, old.properties, ctx);
      const done: ResourceRecord = { ...record, physicalId: made.physicalId, attributes: { ...made.attributes }, status: 'UPDATE_COMPLETE', ...(made.ref !== undefined ? { ref: made.ref } : {}), ...(made.noEcho ? { noEcho: true } : {}) };
      await journal.resource(stack, done);
      resolved.set(id, resolvedOf(done));
    } catch (err) {
      return fail('UPDATE_FAILED', reasonOf(err), { ...old, status: 'UPDATE_FAILED' });
    }
  };

  const run = await runGraph(ids, (id) => evaluation.graph.get(id) ?? [], deps.concurrency, work);
  if (!run.failed) return { ok: true, resolved };
  const failed = run.failed.id;
  return { ok: false, failed, reason: failures.get(failed) ?? reasonOf(run.failed.error) };
}

function baseRecord(stack: StackRecord, logicalId: string, decl: ResourceDecl, dependsOn: string[]): Omit<ResourceRecord, 'status' | 'properties'> {
  return {
    stackId: stack.stackId,
    logicalId,
    type: decl.type,
    attributes: {},
    dependsOn: dependsOn.sort(),
    updatedAt: 0,
    ...(decl.deletionPolicy !== undefined ? { deletionPolicy: decl.deletionPolicy } : {}),
    ...(decl.updateReplacePolicy !== undefined ? { updateReplacePolicy: decl.updateReplacePolicy } : {}),
    ...(decl.metadata !== undefined ? { metadata: decl.metadata } : {}),
  };
}
