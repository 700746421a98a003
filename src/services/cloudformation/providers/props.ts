/**
 * What every provider needs of a template's properties: values read as the type the API wants (a
 * template may give `"5"` for 5 or `"true"` for true), tags merged with the stack's, a change test,
 * and a refusal that names the property Selfless cannot honour rather than ignoring it.
 */
import { AwsError } from '../../../wire/errors.js';
import type { Properties, ResourceContext } from '../provider.js';

/** A property Selfless cannot honour: the stack fails with this message instead of pretending. */
export class UnsupportedProperty extends Error {
  constructor(type: string, property: string, why: string) {
    super(`${type}: property ${property} is not supported by Selfless: ${why}`);
    this.name = 'UnsupportedProperty';
  }
}

/** A property value that is not what the type takes. */
export class InvalidProperty extends Error {
  constructor(type: string, property: string, why: string) {
    super(`${type ? `${type}: ` : ''}property ${property} ${why}`);
    this.name = 'InvalidProperty';
  }
}

export function str(props: Properties, key: string): string | undefined {
  const v = props[key];
  if (v === undefined || v === null) return undefined;
  return typeof v === 'string' ? v : String(v);
}

export function int(props: Properties, key: string): number | undefined {
  const v = props[key];
  if (v === undefined || v === null) return undefined;
  const n = typeof v === 'number' ? v : Number(v);
  if (!Number.isFinite(n)) throw new InvalidProperty('', key, `must be a number, not ${JSON.stringify(v)}`);
  return n;
}

export function bool(props: Properties, key: string): boolean | undefined {
  const v = props[key];
  if (v === undefined || v === null) return undefined;
  return v === true || v === 'true';
}

export const list = <T = unknown>(props: Properties, key: string): T[] => {
  const v = props[key];
  return Array.isArray(v) ? (v as T[]) : v === undefined || v === null ? [] : [v as T];
};

export const obj = (props: Properties, key: string): Properties | undefined => {
  const v = props[key];
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Properties) : undefined;
};

/** A JSON-typed property (a policy document, an event pattern) as the text the API takes. */
export function json(props: Properties, key: string): string | undefined {
  const v = props[key];
  if (v === undefined || v === null) return undefined;
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** Whether a property differs between two sets of properties (deep, as templates are JSON). */
export const changed = (a: Properties, b: Properties, key: string): boolean => JSON.stringify(a[key] ?? null) !== JSON.stringify(b[key] ?? null);

/** The resource's tags (`[{Key, Value}]`) over the stack's, which CloudFormation propagates. */
export function tagsOf(props: Properties, ctx: ResourceContext, key = 'Tags'): { Key: string; Value: string }[] {
  const merged = new Map(Object.entries(ctx.stackTags));
  for (const t of list<{ Key: unknown; Value: unknown }>(props, key)) merged.set(String(t.Key), String(t.Value ?? ''));
  return [...merged].map(([Key, Value]) => ({ Key, Value }));
}

/** Refuses every property the provider does not know, naming them, so that none is silently ignored. */
export function onlyKnown(type: string, props: Properties, known: readonly string[]): void {
  for (const key of Object.keys(props)) {
    if (!known.includes(key)) throw new UnsupportedProperty(type, key, 'Selfless does not implement it for this resource type yet.');
  }
}

/** Runs a delete; the resource being already gone (one of the service's not-found errors) is success. */
export async function gone(work: Promise<unknown>, ...notFound: string[]): Promise<void> {
  try {
    await work;
  } catch (err) {
    if (err instanceof AwsError && (notFound.includes(err.kind.name) || notFound.includes(err.kind.queryCode))) return;
    throw err;
  }
}

/** A name CloudFormation would generate, for services whose names are lowercase (S3). */
export const lowerName = (ctx: ResourceContext, maxLength: number): string => ctx.physicalName(maxLength).toLowerCase();

/** Puts `Tags` (with the stack's) that are new or changed, and removes those no longer there. */
export async function syncTags(
  ctx: ResourceContext,
  props: Properties,
  previous: Properties,
  tag: (tags: { Key: string; Value: string }[]) => Promise<unknown>,
  untag: (keys: string[]) => Promise<unknown>,
  key = 'Tags',
): Promise<void> {
  const want = tagsOf(props, ctx, key);
  const had = new Map(tagsOf(previous, ctx, key).map((t) => [t.Key, t.Value]));
  const put = want.filter((t) => had.get(t.Key) !== t.Value);
  const removed = [...had.keys()].filter((k) => !want.some((t) => t.Key === k));
  if (removed.length > 0) await untag(removed);
  if (put.length > 0) await tag(put);
}

/**
 * The steps that follow a resource's creation (policies, targets, settings). If one fails the resource
 * is deleted again: a failed create leaves nothing behind that the stack does not know of.
 */
export async function orUndo<T>(steps: () => Promise<T>, undo: () => Promise<unknown>): Promise<T> {
  try {
    return await steps();
  } catch (err) {
    await undo().catch(() => undefined);
    throw err;
  }
}
