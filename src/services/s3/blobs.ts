/** Object bytes, apart from their metadata: written whole and durable before they get an id, read as streams. */
import type { Readable, Transform } from 'node:stream';

export interface BlobStore {
  /**
   * Streams `source` through `transforms` into a new blob. Resolves once every byte is durable; if the
   * source fails or is cut short, nothing is kept and the promise rejects.
   */
  write(source: Readable, transforms: readonly Transform[]): Promise<{ id: string; size: number }>;
  /** Bytes `start`..`end` inclusive (the whole blob by default). */
  read(id: string, start?: number, end?: number): Readable;
  /** Reclaims a blob's space; a blob already gone is not an error. */
  remove(id: string): Promise<void>;
}
