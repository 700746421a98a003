/**
 * An event stream (InvokeWithResponseStream's answer) relayed from another node of the fleet, passed
 * on whole message by message. If that node goes away mid-stream, the client's stream still ends as
 * Lambda ends a failed one, with InvokeComplete naming the error, instead of breaking off mid-message.
 */
import { Readable } from 'node:stream';
import { encodeEvent } from '../wire/eventstream.js';

/** An event-stream message: its total length (4 bytes), its headers' length (4), the prelude's CRC (4), ..., the message's CRC (4). */
const MIN_MESSAGE = 16;

/** `body` relayed whole message by message; when it fails, an InvokeComplete carrying `errorCode` and `describe`'s message for the failure ends the stream. */
export function relayEvents(body: Readable, errorCode: string, describe: (err: Error) => string): Readable {
  let pending: Buffer = Buffer.alloc(0);
  const out = new Readable({
    read: () => void body.resume(),
    destroy: (err, cb) => {
      body.destroy();
      cb(err);
    },
  });
  body.on('data', (chunk: Buffer) => {
    pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    let whole = 0;
    while (pending.length - whole >= 4) {
      const length = pending.readUInt32BE(whole);
      if (length < MIN_MESSAGE) return void out.destroy(new Error(`a relayed event-stream message announces ${length} bytes`));
      if (pending.length - whole < length) break;
      whole += length;
    }
    if (whole === 0) return;
    const messages = pending.subarray(0, whole);
    pending = pending.subarray(whole);
    if (!out.push(messages)) body.pause();
  });
  body.on('end', () => {
    if (pending.length > 0) out.destroy(new Error('a relayed event stream ended mid-message'));
    else out.push(null);
  });
  body.on('error', (err: Error) => {
    if (out.destroyed) return;
    const details = JSON.stringify({ errorType: errorCode, errorMessage: describe(err) });
    out.push(encodeEvent('InvokeComplete', Buffer.from(JSON.stringify({ ErrorCode: errorCode, ErrorDetails: details })), 'application/json'));
    out.push(null);
  });
  return out;
}
