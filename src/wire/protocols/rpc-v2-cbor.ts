/**
 * Smithy RPC v2 CBOR (CloudWatch lists it first): `POST .../service/{Service}/operation/{Operation}`
 * with `smithy-protocol: rpc-v2-cbor`, CBOR in and out, timestamps as tag 1 (epoch seconds), errors
 * as `{ __type, message }` with the query code in `x-amzn-query-error` for query-compatible services.
 * Input is turned into the JSON protocol's form and decoded and validated as JSON input is.
 */
import { Decoder, Encoder } from 'cbor-x';
import { decodeJsonValue, type Malformed } from '../decode.js';
import { ProtocolErrors, type AwsError } from '../errors.js';
import { shapeOf, type MemberRef, type Operation, type ServiceModel } from '../model.js';
import { validateShape } from '../validate.js';
import type { AwsRequest, Input, Protocol, Resolution, ResponseParts } from './protocol.js';

const PATH = /\/service\/([^/]+)\/operation\/([^/]+)$/;
const CONTENT_TYPE = 'application/cbor';

// Plain maps and arrays both ways: no cbor-x record extensions, which other CBOR readers do not know.
const decoder = new Decoder({ mapsAsObjects: true, useRecords: false });
const encoder = new Encoder({ mapsAsObjects: true, useRecords: false, tagUint8Array: false });

const malformed: Malformed = (reason) => ProtocolErrors.serialization(`Could not parse request body into CBOR: ${reason}`);

/** Whether a request speaks RPC v2 CBOR: the header says so, on a path that names a service and an operation. */
export const isRpcV2CborRequest = (method: string, path: string, protocolHeader: string | string[] | undefined): boolean =>
  method === 'POST' && protocolHeader === 'rpc-v2-cbor' && PATH.test(path);

export class RpcV2CborProtocol implements Protocol {
  /** By the service's Smithy shape name, which its models keep as the JSON target prefix. */
  private readonly byService: Map<string, ServiceModel>;

  constructor(private readonly models: readonly ServiceModel[]) {
    this.byService = new Map(models.map((m) => [m.metadata.targetPrefix!, m]));
  }

  resolve(req: AwsRequest): Resolution {
    const [, service, name] = PATH.exec(req.path) ?? [];
    const model = service === undefined ? undefined : this.byService.get(decodeURIComponent(service));
    const operation = name === undefined ? undefined : model?.operations[decodeURIComponent(name)];
    if (!model || !operation) return { model, error: ProtocolErrors.unknownOperation(`${service}.${name}`) };
    return { call: { model, operation, input: () => decodeInput(model, operation, req.body) } };
  }

  check(model: ServiceModel, operation: Operation, input: Input): void {
    checkInput(model, operation, input);
  }

  encode(call: { model: ServiceModel; operation: Operation }, output: Input): ResponseParts {
    const shape = call.operation.output?.shape;
    const body = shape === undefined ? {} : toCbor(call.model, { shape }, output);
    return { status: 200, headers: { 'Content-Type': CONTENT_TYPE, 'smithy-protocol': 'rpc-v2-cbor' }, body: encoder.encode(body) };
  }

  error(err: AwsError, named: ServiceModel | undefined): ResponseParts {
    const model = named ?? this.models[0];
    const type = `com.amazonaws.${model?.metadata.endpointPrefix ?? 'unknown'}#${err.kind.name}`;
    const headers: Record<string, string> = { 'Content-Type': CONTENT_TYPE, 'smithy-protocol': 'rpc-v2-cbor', ...err.headers };
    if (model?.metadata.awsQueryCompatible !== undefined) headers['x-amzn-query-error'] = `${err.kind.queryCode};${err.kind.fault}`;
    return { status: err.status, headers, body: encoder.encode({ __type: type, message: err.message, ...err.fields }) };
  }
}

function checkInput(model: ServiceModel, op: Operation, input: Input): void {
  if (!op.input) return;
  decodeJsonValue(model, op.input.shape, input, malformed, '', 'handler');
  validateShape(model, op.input.shape, input);
}

function decodeInput(model: ServiceModel, op: Operation, body: Buffer): Input {
  if (!op.input) return {};
  let raw: unknown = {};
  if (body.length > 0) {
    try {
      raw = decoder.decode(body);
    } catch (err) {
      throw malformed((err as Error).message);
    }
  }
  const value = (decodeJsonValue(model, op.input.shape, asJson(raw), malformed) ?? {}) as Input;
  validateShape(model, op.input.shape, value);
  return value;
}

/** CBOR's values in the JSON protocol's form: timestamps as epoch seconds, byte strings as base64. */
function asJson(v: unknown): unknown {
  if (v instanceof Date) return v.getTime() / 1000;
  if (v instanceof Uint8Array) return Buffer.from(v).toString('base64');
  if (Array.isArray(v)) return v.map(asJson);
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, asJson(x)]));
  return v;
}

/** A handler's output with its timestamps as Dates, which the encoder writes as tag 1. */
function toCbor(model: ServiceModel, ref: Pick<MemberRef, 'shape'>, v: unknown): unknown {
  if (v === undefined || v === null) return undefined;
  const shape = shapeOf(model, ref.shape);
  switch (shape.type) {
    case 'timestamp':
      return typeof v === 'number' ? new Date(v * 1000) : v;
    case 'list':
      return (v as unknown[]).map((x) => toCbor(model, shape.member!, x));
    case 'map':
      return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, toCbor(model, shape.value!, x)]));
    case 'structure': {
      const out: Record<string, unknown> = {};
      for (const [name, member] of Object.entries(shape.members ?? {})) {
        const x = toCbor(model, member, (v as Record<string, unknown>)[name]);
        if (x !== undefined) out[name] = x;
      }
      return out;
    }
    default:
      return v;
  }
}
