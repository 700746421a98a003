/**
 * A write-through cache in front of a DocumentRepo, for documents that a request path reads on every
 * request and that change rarely (an API and its stages): `get` answers from memory, absent keys
 * included, and every write through this object drops the key. Writes by other servers sharing the
 * store are seen once an entry is `maxAgeMs` old, as log filters are. Values are shared between
 * readers, who never change them.
 */
import type { DocumentRepo, Revisioned } from './secrets-repo.js';

export interface CacheOptions {
  /** Monotonic milliseconds. */
  now: () => number;
  /** How long an entry answers before it is read again. */
  maxAgeMs?: number;
  maxEntries?: number;
}

interface Entry<T> {
  /** `null`: known to be absent. */
  doc: Revisioned<T> | null;
  at: number;
}

export class CachedDocumentRepo<T> implements DocumentRepo<T> {
  private readonly entries = new Map<string, Entry<T>>();
  /** Bumped by every write: a read that began before a write does not fill the cache with its result. */
  private epoch = 0;
  private readonly maxAgeMs: number;
  private readonly maxEntries: number;

  constructor(
    private readonly inner: DocumentRepo<T>,
    private readonly options: CacheOptions,
  ) {
    this.maxAgeMs = options.maxAgeMs ?? 10_000;
    this.maxEntries = options.maxEntries ?? 10_000;
  }

  async get(key: string): Promise<Revisioned<T> | undefined> {
    const hit = this.entries.get(key);
    if (hit !== undefined && this.options.now() - hit.at < this.maxAgeMs) return hit.doc ?? undefined;
    const epoch = this.epoch;
    const at = this.options.now();
    const found = await this.inner.get(key);
    if (epoch === this.epoch) {
      this.entries.delete(key); // re-inserted last: the oldest entries go first when the cache is full
      if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
      this.entries.set(key, { doc: found ?? null, at });
    }
    return found;
  }

  list(prefix: string, after: string | undefined, limit: number): Promise<Revisioned<T>[]> {
    return this.inner.list(prefix, after, limit);
  }

  async create(key: string, value: T): Promise<boolean> {
    this.forget(key);
    try {
      return await this.inner.create(key, value);
    } finally {
      this.forget(key);
    }
  }

  /** A refused compare-and-set drops the key too: the writer's next read sees the stored revision. */
  async update(key: string, value: T, revision: number): Promise<boolean> {
    this.forget(key);
    try {
      return await this.inner.update(key, value, revision);
    } finally {
      this.forget(key);
    }
  }

  async delete(key: string): Promise<boolean> {
    this.forget(key);
    try {
      return await this.inner.delete(key);
    } finally {
      this.forget(key);
    }
  }

  private forget(key: string): void {
    this.epoch += 1;
    this.entries.delete(key);
  }
}
