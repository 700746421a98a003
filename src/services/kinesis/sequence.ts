/**
 * Sequence numbers: one counter per stream (so increasing within every shard, and a child shard's
 * numbers follow its parents'), written as Kinesis's 56-digit decimal strings beginning "49".
 */
const PREFIX = 49n * 10n ** 54n;

export const formatSequence = (n: number): string => (PREFIX + BigInt(n)).toString();

/** The counter value of a sequence number, or undefined if the text is not one. */
export function parseSequence(text: string): number | undefined {
  if (!/^\d{1,128}$/.test(text)) return undefined;
  const n = BigInt(text) - PREFIX;
  if (n < 0n || n > BigInt(Number.MAX_SAFE_INTEGER)) return undefined;
  return Number(n);
}
