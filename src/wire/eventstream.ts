/**
 * The `application/vnd.amazon.eventstream` framing (length-prefixed messages with typed headers and
 * CRC32s) that event-stream outputs use: InvokeWithResponseStream's PayloadChunk and InvokeComplete,
 * StartLiveTail's sessionStart and sessionUpdate, and the modelled exceptions that end a stream.
 * Encoded by Smithy's own codec, the one the SDK decodes with.
 */
import { EventStreamCodec } from '@smithy/eventstream-codec';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';

export const EVENT_STREAM_CONTENT_TYPE = 'application/vnd.amazon.eventstream';

const codec = new EventStreamCodec(toUtf8, fromUtf8);

/** One event of an event-stream output: its member name is the event type. */
export function encodeEvent(eventType: string, payload: Buffer, contentType: string): Buffer {
  const message = codec.encode({
    headers: {
      ':event-type': { type: 'string', value: eventType },
      ':content-type': { type: 'string', value: contentType },
      ':message-type': { type: 'string', value: 'event' },
    },
    body: payload,
  });
  return Buffer.from(message.buffer, message.byteOffset, message.byteLength);
}

/** A modelled exception sent on the stream (it ends the stream for the client): JSON `{"message": ...}`. */
export function encodeException(exceptionType: string, message: string): Buffer {
  const encoded = codec.encode({
    headers: {
      ':exception-type': { type: 'string', value: exceptionType },
      ':content-type': { type: 'string', value: 'application/json' },
      ':message-type': { type: 'string', value: 'exception' },
    },
    body: Buffer.from(JSON.stringify({ message })),
  });
  return Buffer.from(encoded.buffer, encoded.byteOffset, encoded.byteLength);
}
