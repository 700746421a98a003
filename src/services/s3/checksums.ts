/**
 * Digests of a body as it streams past: the MD5 behind the ETag, and the checksum the client asked
 * for (`x-amz-checksum-*`), in the base64 form S3 writes them.
 */
import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import * as zlib from 'node:zlib';
import type { ChecksumAlgorithm } from './model.js';

interface Running {
  update(chunk: Buffer): void;
  digest(): Buffer;
}

function table32(poly: number): Uint32Array {
  const t = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ poly : c >>> 1;
    t[i] = c >>> 0;
  }
  return t;
}

const CRC32C_TABLE = table32(0x82f63b78);

/** CRC-32 with zlib's native code; CRC-32C (Castagnoli) by table, which no Node built-in offers. */
function crc32(table?: Uint32Array): Running {
  let crc = 0;
  return {
    update(chunk) {
      if (!table) {
        crc = (zlib as unknown as { crc32(data: Buffer, value?: number): number }).crc32(chunk, crc);
        return;
      }
      let c = ~crc >>> 0;
      for (let i = 0; i < chunk.length; i++) c = table[(c ^ chunk[i]!) & 0xff]! ^ (c >>> 8);
      crc = ~c >>> 0;
    },
    digest() {
      const b = Buffer.alloc(4);
      b.writeUInt32BE(crc >>> 0);
      return b;
    },
  };
}

const CRC64NVME_POLY = 0x9a6c9329ac4bc9b5n;
const CRC64_TABLE = (() => {
  const t: bigint[] = [];
  for (let i = 0n; i < 256n; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1n ? (c >> 1n) ^ CRC64NVME_POLY : c >> 1n;
    t.push(c);
  }
  return t;
})();

/** CRC-64/NVME: S3's default for new objects. BigInt is slow, so it runs only when a client asks for it. */
function crc64nvme(): Running {
  let crc = 0xffffffffffffffffn;
  return {
    update(chunk) {
      for (let i = 0; i < chunk.length; i++) crc = CRC64_TABLE[Number((crc ^ BigInt(chunk[i]!)) & 0xffn)]! ^ (crc >> 8n);
    },
    digest() {
      const b = Buffer.alloc(8);
      b.writeBigUInt64BE(crc ^ 0xffffffffffffffffn);
      return b;
    },
  };
}

const hash = (name: string): Running => {
  const h: Hash = createHash(name);
  return { update: (c) => void h.update(c), digest: () => h.digest() };
};

export function runningChecksum(algorithm: ChecksumAlgorithm): Running {
  switch (algorithm) {
    case 'CRC32':
      return crc32();
    case 'CRC32C':
      return crc32(CRC32C_TABLE);
    case 'CRC64NVME':
      return crc64nvme();
    case 'SHA1':
      return hash('sha1');
    case 'SHA256':
      return hash('sha256');
  }
}

/** Passes bytes through unchanged, counting them and computing the MD5 and, if asked, one checksum. */
export class Digester extends Transform {
  private readonly md5 = createHash('md5');
  private readonly extra: Running | undefined;
  size = 0;

  constructor(readonly algorithm: ChecksumAlgorithm | undefined) {
    super();
    this.extra = algorithm ? runningChecksum(algorithm) : undefined;
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.size += chunk.length;
    this.md5.update(chunk);
    this.extra?.update(chunk);
    done(null, chunk);
  }

  private digests: { md5: Buffer; checksum: string | undefined } | undefined;

  /** Valid once the stream has ended. */
  result(): { md5: Buffer; checksum: string | undefined } {
    return (this.digests ??= { md5: this.md5.digest(), checksum: this.extra?.digest().toString('base64') });
  }
}
