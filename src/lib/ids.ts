import { randomFillSync, randomUUID } from 'node:crypto';

// Random bytes are drawn from a pool refilled in one call, not one `randomBytes` call per id: ids are made
// on every invoke.
const pool = Buffer.alloc(4096);
let offset = pool.length;
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

function randomHexBytes(count: number): string {
  if (offset + count > pool.length) {
    randomFillSync(pool);
    offset = 0;
  }
  let out = '';
  for (let i = 0; i < count; i++) out += HEX[pool[offset + i]!]!;
  offset += count;
  return out;
}

/**
 * An id in the shape AWS uses for request and message ids (a version 4 UUID) whose first 48 bits are
 * the time in milliseconds: ids sort by creation time, so the indexes keyed by them grow at one end
 * instead of dirtying a random page on every insert. The other 74 bits are random.
 */
export function newTimeOrderedId(nowMs: number = Date.now()): string {
  const time = Math.max(0, Math.floor(nowMs)).toString(16).padStart(12, '0').slice(-12);
  const r = randomHexBytes(10);
  const variant = ((parseInt(r[3]!, 16) & 0x3) | 0x8).toString(16);
  return `${time.slice(0, 8)}-${time.slice(8)}-4${r.slice(0, 3)}-${variant}${r.slice(4, 7)}-${r.slice(7, 19)}`;
}

/** An invocation's or API call's request id. */
export const newRequestId = (): string => newTimeOrderedId();
/** A queue message's id. */
export const newMessageId = (): string => newTimeOrderedId();
export const newRevisionId = (): string => randomUUID();
/** `count` random bytes as lowercase hex. */
export const randomHex = (count: number): string => randomHexBytes(count);
/** 32 hex characters, the shape Lambda uses in log stream names. */
export const newHexId = (): string => randomHexBytes(16);
