/** `Range: bytes=…` as S3 reads it: one range, `a-b`, `a-` or `-n`; anything else means the whole object. */
import { Readable } from 'node:stream';
import { S3Errors } from '../../wire/errors.js';
import type { BlobStore } from './blobs.js';
import type { BlobRef } from './model.js';

export interface ByteRange {
  start: number;
  /** Inclusive. */
  end: number;
}

export function parseRange(header: string | undefined, size: number): ByteRange | undefined {
  const m = header ? /^bytes=(\d*)-(\d*)$/.exec(header.trim()) : null;
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  if (m[1] === '') {
    const n = Number(m[2]);
    if (n === 0 || size === 0) throw S3Errors.invalidRange(size);
    return { start: Math.max(0, size - n), end: size - 1 };
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (start >= size) throw S3Errors.invalidRange(size);
  if (end < start) return undefined; // S3 ignores a backwards range
  return { start, end };
}

/** Bytes `range` of an object stored as consecutive blobs, read one blob after another. */
export function readBlobs(blobs: BlobStore, refs: readonly BlobRef[], range: ByteRange | undefined): Readable {
  const total = refs.reduce((n, r) => n + r.size, 0);
  const { start, end } = range ?? { start: 0, end: total - 1 };
  async function* chunks() {
    let offset = 0;
    for (const ref of refs) {
      const first = Math.max(start, offset);
      const last = Math.min(end, offset + ref.size - 1);
      if (first <= last) yield* blobs.read(ref.id, first - offset, last - offset);
      offset += ref.size;
      if (offset > end) return;
    }
  }
  return Readable.from(chunks(), { objectMode: false });
}
