/**
 * Receipt handles name one receive of one message: the message id and a token that changes on
 * every receive, so a handle from an earlier receive cannot delete or extend a later one.
 */
import { randomHex } from '../../lib/ids.js';

export interface ReceiptHandle {
  messageId: string;
  token: string;
}

const PREFIX = 'sl1:';

/** From the ids' pool of random bytes: one receipt per message received, so no system call for each. */
export const newReceiptToken = (): string => randomHex(12);

export const encodeReceiptHandle = (h: ReceiptHandle): string =>
  Buffer.from(`${PREFIX}${h.messageId}:${h.token}`, 'utf8').toString('base64');

/** undefined when the text is not a handle this service issued. */
export function decodeReceiptHandle(text: string): ReceiptHandle | undefined {
  const raw = Buffer.from(text, 'base64').toString('utf8');
  const m = /^sl1:([0-9a-f-]{36}):([0-9a-f]{24})$/.exec(raw);
  return m ? { messageId: m[1]!, token: m[2]! } : undefined;
}
