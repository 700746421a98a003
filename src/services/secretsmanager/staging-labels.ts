/**
 * Staging labels: each label is on at most one version; AWSCURRENT moved to a version leaves
 * AWSPREVIOUS on the version it left. Versions without a label are deprecated and kept only a while.
 */
import type { SecretVersion } from '../../domain/secret.js';

export const CURRENT = 'AWSCURRENT';
export const PREVIOUS = 'AWSPREVIOUS';
export const PENDING = 'AWSPENDING';

/** Deprecated versions (no label) kept, newest first, as Secrets Manager keeps about 100. */
const KEEP_DEPRECATED = 100;

/** Puts `stage` on `versionId` alone (taking it from any other version), with AWSCURRENT's AWSPREVIOUS rule. */
export function moveStage(versions: readonly SecretVersion[], stage: string, versionId: string): SecretVersion[] {
  const from = versions.find((v) => v.stages.includes(stage) && v.versionId !== versionId);
  return versions.map((v) => {
    let stages = v.stages;
    if (v.versionId === versionId) stages = stages.includes(stage) ? stages : [...stages, stage];
    else if (stages.includes(stage)) stages = stages.filter((s) => s !== stage);
    if (stage === CURRENT && from !== undefined) {
      if (v.versionId === from.versionId) stages = [...stages.filter((s) => s !== PREVIOUS), PREVIOUS];
      else stages = stages.filter((s) => s !== PREVIOUS);
    }
    return stages === v.stages ? v : { ...v, stages };
  });
}

export function removeStage(versions: readonly SecretVersion[], stage: string, versionId: string): SecretVersion[] {
  return versions.map((v) => (v.versionId === versionId ? { ...v, stages: v.stages.filter((s) => s !== stage) } : v));
}

/** Adds a version carrying `stages` (each taken from wherever it was), then drops old deprecated versions. */
export function addVersion(versions: readonly SecretVersion[], version: SecretVersion, stages: readonly string[]): SecretVersion[] {
  let next = [...versions.filter((v) => v.versionId !== version.versionId), { ...version, stages: [] }];
  for (const stage of stages) next = moveStage(next, stage, version.versionId);
  return prune(next);
}

export const versionWithStage = (versions: readonly SecretVersion[], stage: string): SecretVersion | undefined => versions.find((v) => v.stages.includes(stage));

function prune(versions: SecretVersion[]): SecretVersion[] {
  const deprecated = versions.filter((v) => v.stages.length === 0).sort((a, b) => b.createdAt - a.createdAt);
  const drop = new Set(deprecated.slice(KEEP_DEPRECATED).map((v) => v.versionId));
  return versions.filter((v) => !drop.has(v.versionId));
}
