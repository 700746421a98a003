/**
 * Shard iterators: an opaque token (base64url JSON of the stream's id and name, the shard, the last
 * sequence number read and when it was made), checked with zod when it comes back. As on AWS, one
 * expires 5 minutes after it was made.
 */
import { z } from 'zod';
import { KinesisErrors } from '../../wire/errors.js';

export const ITERATOR_TTL_MS = 5 * 60_000;

const IteratorSchema = z.object({ s: z.string(), i: z.string(), h: z.string(), a: z.number().int().nonnegative(), m: z.number() });
export type ShardIterator = z.infer<typeof IteratorSchema>;

export const encodeIterator = (it: ShardIterator): string => Buffer.from(JSON.stringify(it)).toString('base64url');

export function decodeIterator(token: string, now: number): ShardIterator {
  let it: ShardIterator;
  try {
    it = IteratorSchema.parse(JSON.parse(Buffer.from(token, 'base64url').toString('utf8')));
  } catch {
    throw KinesisErrors.invalidArgument('Invalid ShardIterator.');
  }
  if (now - it.m > ITERATOR_TTL_MS) throw KinesisErrors.expiredIterator(amzDate(it.m), amzDate(now));
  return it;
}

/** Kinesis writes times in its messages as e.g. "Thu Dec 05 23:40:00 UTC 2026". */
function amzDate(ms: number): string {
  const d = new Date(ms);
  const [day, date, month, year] = d.toUTCString().replace(',', '').split(' ');
  return `${day} ${month} ${String(date).padStart(2, '0')} ${d.toISOString().slice(11, 19)} UTC ${year}`;
}
