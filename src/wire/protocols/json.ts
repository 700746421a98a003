/**
 * The AWS JSON protocol, 1.0 and 1.1 (CloudWatch Logs, SQS): `POST /` with `X-Amz-Target:
 * Prefix.Operation`, JSON in and out, errors as `{"__type": ..., "message": ...}`. A service that
 * was a query service first (SQS: `awsQueryCompatible`) also names each error's query code and
 * fault in `x-amzn-query-error`, which SDKs surface as the error's code.
 */
import { Readable } from 'node:stream';
import { decodeJsonValue, parseJsonBody, type Malformed } from '../decode.js';
import { ProtocolErrors, type AwsError } from '../errors.js';
import { EVENT_STREAM_CONTENT_TYPE } from '../eventstream.js';
import { shapeOf, type Operation, type ServiceModel } from '../model.js';
import { validateShape } from '../validate.js';
import type { AwsRequest, Input, Protocol, Resolution, ResponseParts } from './protocol.js';

const malformed: Malformed = (reason) => ProtocolErrors.serialization(`Could not parse request body into json: ${reason}`);

const contentType = (model: ServiceModel | undefined) => `application/x-amz-json-${model?.metadata.jsonVersion ?? '1.1'}`;

export class JsonProtocol implements Protocol {
  private readonly byPrefix: Map<string, ServiceModel>;

  constructor(private readonly models: readonly ServiceModel[]) {
    this.byPrefix = new Map(models.map((m) => [m.metadata.targetPrefix!, m]));
  }

  resolve(req: AwsRequest): Resolution {
    const target = String(req.headers['x-amz-target']);
    const dot = target.lastIndexOf('.');
    const model = dot > 0 ? this.byPrefix.get(target.slice(0, dot)) : undefined;
    const operation = model?.operations[target.slice(dot + 1)];
    if (!model || !operation) return { model, error: ProtocolErrors.unknownOperation(target) };
    return { call: { model, operation, input: () => decodeInput(model, operation, req.body) } };
  }

  check(model: ServiceModel, operation: Operation, input: Input): void {
    if (!operation.input) return;
    decodeJsonValue(model, operation.input.shape, input, malformed, '', 'handler');
    validateShape(model, operation.input.shape, input);
  }

  encode(call: { model: ServiceModel; operation: Operation }, output: Input): ResponseParts {
    const stream = eventStreamOf(call.model, call.operation, output);
    if (stream) return { status: 200, headers: { 'Content-Type': EVENT_STREAM_CONTENT_TYPE }, body: stream };
    return { status: 200, headers: { 'Content-Type': contentType(call.model) }, body: JSON.stringify(output) };
  }

  error(err: AwsError, named: ServiceModel | undefined): ResponseParts {
    const model = named ?? this.models[0];
    const queryCompatible = model?.metadata.awsQueryCompatible !== undefined;
    // As SQS sends them: the shape's name qualified by the service's namespace.
    const type = queryCompatible ? `com.amazonaws.${model!.metadata.endpointPrefix}#${err.kind.name}` : err.kind.name;
    const headers: Record<string, string> = { 'Content-Type': contentType(model), 'x-amzn-ErrorType': type, ...err.headers };
    if (queryCompatible) headers['x-amzn-query-error'] = `${err.kind.queryCode};${err.kind.fault}`;
    return { status: err.status, headers, body: JSON.stringify({ __type: type, message: err.message, ...err.fields }) };
  }
}

function decodeInput(model: ServiceModel, op: Operation, body: Buffer): Input {
  if (!op.input) return {};
  const value = (decodeJsonValue(model, op.input.shape, parseJsonBody(body, malformed), malformed) ?? {}) as Input;
  validateShape(model, op.input.shape, value);
  return value;
}

/**
 * An output with an event-stream member (StartLiveTail's) is sent as that stream alone: the handler
 * gives the encoded events as they come, and the client reads the other members from no initial event.
 */
function eventStreamOf(model: ServiceModel, op: Operation, output: Input): Readable | undefined {
  const name = eventStreamMember(model, op);
  if (name === null) return undefined;
  const v = output[name];
  if (!(v instanceof Readable)) throw new Error(`${op.name}: an event stream output must be a readable stream`);
  return v;
}

/** Each operation's event-stream output member, or null: looked up once per operation. */
const eventStreamMembers = new WeakMap<Operation, string | null>();

function eventStreamMember(model: ServiceModel, op: Operation): string | null {
  let name = eventStreamMembers.get(op);
  if (name === undefined) {
    const members = op.output ? Object.entries(shapeOf(model, op.output.shape).members ?? {}) : [];
    name = members.find(([, ref]) => shapeOf(model, ref.shape).eventstream)?.[0] ?? null;
    eventStreamMembers.set(op, name);
  }
  return name;
}
