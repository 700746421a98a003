/**
 * `aws-chunked` bodies, which SDKs send for streams: `<hex size>[;chunk-signature=…]\r\n<bytes>\r\n`
 * repeated, a zero-size chunk, then trailers (`x-amz-checksum-crc32:…`, and for signed trailers
 * `x-amz-trailer-signature:…`) and an empty line. The decoder passes the bytes on and keeps the
 * trailers; a body that ends early is an error, and so are trailers other than those `x-amz-trailer` declared.
 */
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { S3Errors } from '../errors.js';

const MAX_LINE = 4096;

/** Sees each chunk as it is decoded (its `chunk-signature`, then its bytes), and throws to refuse it. */
export interface ChunkCheck {
  begin(signature: string | undefined): void;
  update(data: Buffer): void;
  end(): void;
  /** The trailers, once all are read (`x-amz-trailer-signature` among them when the client signed them). */
  trailers?(fields: Readonly<Record<string, string>>): void;
}

/** The trailer that carries the trailers' own signature, not one a client declares. */
export const TRAILER_SIGNATURE = 'x-amz-trailer-signature';

/** A request body whose chunks must pass a check (the verifier's, for signed aws-chunked payloads). */
export type ChunkCheckedStream = Readable & { chunkCheck?: ChunkCheck };

export class AwsChunkedDecoder extends Transform {
  readonly trailers: Record<string, string> = {};
  private pending: Buffer = Buffer.alloc(0);
  /** Bytes of data still due in the current chunk; -1 while reading a size line, -2 in the trailers. */
  private remaining = -1;
  private crlfDue = false;
  private done = false;

  /**
   * @param announcedTrailers the trailers `x-amz-trailer` announced (lower-case): each must come, and no other;
   *   undefined when the request announced none (any trailer is then taken as sent).
   */
  constructor(
    private readonly check?: ChunkCheck,
    readonly announcedTrailers?: readonly string[],
  ) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, callback: TransformCallback): void {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    try {
      this.consume();
      callback();
    } catch (err) {
      callback(err as Error);
    }
  }

  override _flush(callback: TransformCallback): void {
    callback(this.done ? null : new Error('aws-chunked body ended early'));
  }

  private consume(): void {
    for (;;) {
      if (this.done) return;
      if (this.remaining > 0) {
        if (this.pending.length === 0) return;
        const n = Math.min(this.remaining, this.pending.length);
        this.check?.update(this.pending.subarray(0, n));
        this.push(this.pending.subarray(0, n));
        this.pending = this.pending.subarray(n);
        this.remaining -= n;
        if (this.remaining === 0) {
          this.check?.end();
          this.crlfDue = true;
        }
        continue;
      }
      if (this.crlfDue) {
        if (this.pending.length < 2) return;
        if (this.pending[0] !== 13 || this.pending[1] !== 10) throw new Error('aws-chunked: missing CRLF after a chunk');
        this.pending = this.pending.subarray(2);
        this.crlfDue = false;
        this.remaining = -1;
        continue;
      }
      const eol = this.pending.indexOf('\r\n');
      if (eol === -1) {
        if (this.pending.length > MAX_LINE) throw new Error('aws-chunked: line too long');
        return;
      }
      const line = this.pending.subarray(0, eol).toString('latin1');
      this.pending = this.pending.subarray(eol + 2);
      if (this.remaining === -2) {
        if (line === '') this.finish();
        else {
          const colon = line.indexOf(':');
          if (colon <= 0) throw S3Errors.malformedTrailer();
          this.trailers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
        }
        continue;
      }
      const [hex, ...extensions] = line.split(';');
      const size = Number.parseInt(hex!, 16);
      if (!Number.isFinite(size) || size < 0) throw new Error('aws-chunked: bad chunk size');
      this.check?.begin(extensions.find((e) => e.startsWith('chunk-signature='))?.slice('chunk-signature='.length));
      if (size === 0) {
        this.check?.end();
        this.remaining = -2;
      }
      else this.remaining = size;
    }
  }

  private finish(): void {
    const announced = this.announcedTrailers;
    if (announced) {
      const sent = Object.keys(this.trailers).filter((n) => n !== TRAILER_SIGNATURE);
      if (announced.some((n) => !(n in this.trailers)) || sent.some((n) => !announced.includes(n))) throw S3Errors.malformedTrailer();
    }
    this.check?.trailers?.(this.trailers);
    this.done = true;
  }
}
