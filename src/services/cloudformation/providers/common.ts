/** Helpers the resource providers share. */
import { isResourceNotFound } from '../../../wire/errors.js';
import { AwsError } from '../../../wire/errors/core.js';
import type { Properties, ResourceContext } from '../provider.js';

/** Only the listed properties that are set. */
export const pick = (props: Properties, keys: readonly string[]): Record<string, unknown> =>
  Object.fromEntries(keys.filter((k) => props[k] !== undefined).map((k) => [k, props[k]]));

/** A template's `Tags: [{Key, Value}]` with the stack's tags under them, as a map. */
export const tagMap = (props: Properties, ctx: ResourceContext): Record<string, string> => ({
  ...ctx.stackTags,
  ...Object.fromEntries(((props['Tags'] as { Key: string; Value: string }[] | undefined) ?? []).map((t) => [t.Key, String(t.Value)])),
});

/** Deleting what is already gone succeeds. */
export async function ignoreMissing(p: Promise<unknown>): Promise<void> {
  try {
    await p;
  } catch (err) {
    if (isResourceNotFound(err) || (err instanceof AwsError && /NotFound|NonExistent|DoesNotExist/.test(err.kind.name + err.kind.queryCode))) return;
    throw err;
  }
}

export const num = (v: unknown): number | undefined => (v === undefined ? undefined : Number(v));
export const bool = (v: unknown): boolean | undefined => (v === undefined ? undefined : v === true || v === 'true');
