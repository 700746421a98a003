/**
 * API Gateway's 32 KB frame limit: a message over 32 KB must come in fragments, and a bigger frame
 * closes the connection with 1009. `ws` limits whole messages only, so this reads the frame headers
 * of what the client sends (RFC 6455 §5.2) beside it, and tells when a frame's payload is too big.
 */
export const MAX_FRAME_BYTES = 32 * 1024;

export class FrameScanner {
  private header: number[] = [];
  /** Payload bytes of the current frame still to skip. */
  private skip = 0;

  constructor(private readonly limit = MAX_FRAME_BYTES) {}

  /** Reads a chunk; true once a frame over the limit has begun. */
  push(chunk: Buffer): boolean {
    let i = 0;
    while (i < chunk.length) {
      if (this.skip > 0) {
        const n = Math.min(this.skip, chunk.length - i);
        this.skip -= n;
        i += n;
        continue;
      }
      this.header.push(chunk[i++]!);
      const length = this.frameLength();
      if (length === undefined) continue;
      this.header = [];
      if (length > this.limit) return true;
      this.skip = length;
    }
    return false;
  }

  /** The payload length once the whole header (with its mask key) is in, else undefined. */
  private frameLength(): number | undefined {
    const h = this.header;
    if (h.length < 2) return undefined;
    const masked = (h[1]! & 0x80) !== 0;
    const len7 = h[1]! & 0x7f;
    const extra = len7 === 126 ? 2 : len7 === 127 ? 8 : 0;
    const size = 2 + extra + (masked ? 4 : 0);
    if (h.length < size) return undefined;
    if (extra === 0) return len7;
    let n = 0;
    for (let k = 2; k < 2 + extra; k++) n = n * 256 + h[k]!;
    return n;
  }
}
