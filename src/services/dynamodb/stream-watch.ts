/**
 * Tells listeners in this process when writes leave records in a stream, so that stream readers
 * (event source mappings) need not poll an idle table often. A store decorator: every write path
 * (items, transactions, TTL) goes through `writeItems`.
 */
import type { DynamoDbRepo } from '../../storage/dynamodb-repo.js';

export interface StreamWatch {
  readonly repo: DynamoDbRepo;
  /** Calls `listener` with a stream's ARN after each committed write that added records to it. */
  onWrite(listener: (streamArn: string) => void): () => void;
}

export function watchStreamWrites(repo: DynamoDbRepo): StreamWatch {
  const listeners = new Set<(arn: string) => void>();
  const writeItems: DynamoDbRepo['writeItems'] = async (refs, decide, token, hints) => {
    const arns = new Set<string>();
    const outcome = await repo.writeItems(
      refs,
      (current) => {
        const writes = decide(current);
        arns.clear();
        for (const w of writes) if (w.stream) arns.add(w.stream.arn);
        return writes;
      },
      token,
      hints,
    );
    if (outcome === 'written') for (const arn of arns) for (const l of listeners) l(arn);
    return outcome;
  };
  // Methods bound once, not on each call: every item operation goes through here.
  const bound = new Map<PropertyKey, unknown>([['writeItems', writeItems]]);
  const watched = new Proxy(repo, {
    get(target, prop) {
      if (bound.has(prop)) return bound.get(prop);
      const value = Reflect.get(target, prop, target) as unknown;
      if (typeof value !== 'function') return value;
      const fn = (value as (...a: unknown[]) => unknown).bind(target);
      bound.set(prop, fn);
      return fn;
    },
  });
  return {
    repo: watched,
    onWrite(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
