import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FrameScanner } from '../../src/services/apigatewayv2/websocket/frame-limit.js';

/** A masked client frame (RFC 6455) with a payload of `n` bytes. */
function frame(n: number, fin = true): Buffer {
  const len = n < 126 ? [n] : n < 65536 ? [126, n >> 8, n & 0xff] : [127, 0, 0, 0, 0, (n >>> 24) & 0xff, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff];
  const head = Buffer.from([fin ? 0x81 : 0x01, 0x80 | len[0]!, ...len.slice(1), 1, 2, 3, 4]);
  return Buffer.concat([head, Buffer.alloc(n, 0x61)]);
}

describe('the 32 KB frame limit', () => {
  it('lets frames up to 32 KB through, however the bytes are split', () => {
    const s = new FrameScanner();
    const stream = Buffer.concat([frame(5), frame(32 * 1024, false), frame(200), frame(32 * 1024)]);
    for (let i = 0; i < stream.length; i += 7) assert.equal(s.push(stream.subarray(i, i + 7)), false);
  });

  it('tells a frame over 32 KB from its header alone, 16-bit and 64-bit lengths alike', () => {
    assert.equal(new FrameScanner().push(frame(32 * 1024 + 1).subarray(0, 8)), true);
    assert.equal(new FrameScanner().push(frame(70_000).subarray(0, 14)), true);
    const s = new FrameScanner();
    assert.equal(s.push(frame(10)), false);
    const big = frame(40_000);
    assert.equal(s.push(big.subarray(0, 3)), false); // the length is not in yet
    assert.equal(s.push(big.subarray(3, 10)), true);
  });
});
