/** Reading and changing IAM's documents with compare-and-set, so that two servers never lose each other's change. */
import type { DocumentRepo } from '../../storage/secrets-repo.js';
import type { Page } from './model.js';

const BATCH = 500;

export async function required<T>(repo: DocumentRepo<T>, key: string, missing: () => Error): Promise<T> {
  const found = await repo.get(key);
  if (!found) throw missing();
  return found.value;
}

/** Applies `change` to the document at `key` until it lands on the revision it read; returns the result. */
export async function edit<T>(repo: DocumentRepo<T>, key: string, missing: () => Error, change: (value: T) => T): Promise<T> {
  for (;;) {
    const found = await repo.get(key);
    if (!found) throw missing();
    const next = change(found.value);
    if (await repo.update(key, next, found.revision)) return next;
  }
}

/**
 * A page of the documents `keep` accepts, in key order: `marker` (IAM's `Marker`) is the key of the
 * last item given, `maxItems` defaults to 100 as in IAM.
 */
export async function page<T>(
  repo: DocumentRepo<T>,
  keyOf: (v: T) => string,
  keep: (v: T) => boolean,
  marker: string | undefined,
  maxItems = 100,
): Promise<Page<T>> {
  const items: T[] = [];
  let after = marker;
  for (;;) {
    const batch = await repo.list('', after, BATCH);
    for (const d of batch) {
      after = keyOf(d.value);
      if (!keep(d.value)) continue;
      if (items.length === maxItems) return { items, marker: keyOf(items[items.length - 1]!) };
      items.push(d.value);
    }
    if (batch.length < BATCH) return { items };
  }
}

/** Every document `keep` accepts. */
export async function every<T>(repo: DocumentRepo<T>, keyOf: (v: T) => string, keep: (v: T) => boolean): Promise<T[]> {
  return (await page(repo, keyOf, keep, undefined, Number.MAX_SAFE_INTEGER)).items;
}
