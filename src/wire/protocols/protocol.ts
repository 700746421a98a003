/**
 * What every protocol module (rest-json, json, query) provides: find the operation a request names,
 * decode its input, encode its output, and render any error in the protocol's one error shape.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import type { AwsError } from '../errors.js';
import type { Operation, ServiceModel } from '../model.js';

/** An operation's input or output: members by their model names, JSON-ready values (timestamps in epoch seconds). */
export type Input = Record<string, unknown>;

/** A request as the protocols read it, its body already read. */
export interface AwsRequest {
  method: string;
  /** Still percent-encoded. */
  path: string;
  /** The raw query string, without the `?`. */
  query: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** The unread body, for an operation that streams its input (rest-xml: S3's object bodies); `body` is then empty. */
  stream?: Readable;
  /** The service the request was signed for (the SigV4 credential scope), when it says. */
  signingService: string | undefined;
}

/** An answer before it goes on the wire (the server adds the request id and the body's headers). */
export interface ResponseParts {
  status: number;
  headers: Record<string, string>;
  /** A stream (S3's object bodies) goes out as it is read; its length, when known, is in the headers. */
  body: Buffer | string | Readable | undefined;
}

/** The service and operation a request names, and how to read its input. */
export interface Call {
  model: ServiceModel;
  operation: Operation;
  /** Decodes and validates the input; throws the protocol's error for a malformed request. */
  input(): Input;
}

/** The operation, or why there is none (with the service, when the request named one the server knows). */
export type Resolution = { call: Call } | { model: ServiceModel | undefined; error: AwsError };

export interface Protocol {
  resolve(req: AwsRequest): Resolution;
  encode(call: Call, output: Input, requestId: string): ResponseParts;
  /**
   * Validates an input already in the handler's shape (a call from inside the server) as a decoded
   * request's is: the same type checks and model constraints, refused with the same errors.
   */
  check(model: ServiceModel, operation: Operation, input: Input): void;
  /** The protocol's one error renderer; `model` is the service's when known. */
  error(err: AwsError, model: ServiceModel | undefined, requestId: string): ResponseParts;
}
