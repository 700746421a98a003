/**
 * The REST-JSON protocol (Lambda): turns an HTTP request into an operation's input and an
 * operation's output or an AwsError into an HTTP response, using the member locations of the model.
 */
import { decodeJsonValue, decodeScalar } from './decode.js';
import { AwsError, Errors } from './errors.js';
import { shapeOf, type Operation, type ServiceModel } from './model.js';
import { validateShape } from './validate.js';

export interface HttpRequestParts {
  params: Record<string, string>;
  query: Record<string, string | string[] | undefined>;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export interface HttpResponseParts {
  status: number;
  headers: Record<string, string>;
  body: Buffer | string | undefined;
}

export type Input = Record<string, unknown>;

export function parseJsonBody(body: Buffer): unknown {
  if (body.length === 0) return {};
  try {
    return JSON.parse(body.toString('utf8'));
  } catch (err) {
    throw Errors.invalidRequestContent(`Could not parse request body into json: ${(err as Error).message}`);
  }
}

export function decodeRestJsonInput(model: ServiceModel, op: Operation, req: HttpRequestParts): Input {
  if (!op.input) return {};
  const shape = shapeOf(model, op.input.shape);
  const input: Input = {};
  const members = shape.members ?? {};
  let bodyMembers: Record<string, unknown> | undefined;
  for (const [name, ref] of Object.entries(members)) {
    switch (ref.location) {
      case 'uri': {
        const v = req.params[ref.locationName ?? name];
        if (v !== undefined) input[name] = decodeScalar(model, ref.shape, v, name);
        break;
      }
      case 'querystring': {
        const v = req.query[ref.locationName ?? name];
        if (v !== undefined) input[name] = decodeScalar(model, ref.shape, v, name);
        break;
      }
      case 'header': {
        const v = req.headers[(ref.locationName ?? name).toLowerCase()];
        if (v !== undefined) input[name] = decodeScalar(model, ref.shape, v, name);
        break;
      }
      case undefined:
        if (shape.payload === name) {
          const target = shapeOf(model, ref.shape);
          if (target.type === 'blob') input[name] = req.body;
          else if (req.body.length > 0) input[name] = decodeJsonValue(model, ref.shape, parseJsonBody(req.body), name);
        } else {
          bodyMembers ??= bodyObject(req.body);
          const v = bodyMembers[name];
          if (v !== undefined && v !== null) input[name] = decodeJsonValue(model, ref.shape, v, name);
        }
        break;
      default:
        break;
    }
  }
  validateShape(model, op.input.shape, input);
  return input;
}

function bodyObject(body: Buffer): Record<string, unknown> {
  const parsed = parseJsonBody(body);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw Errors.invalidRequestContent('Could not parse request body into json: expected an object');
  }
  return parsed as Record<string, unknown>;
}

/** Output objects are JSON-ready (blobs already base64) except a blob payload member, sent raw. */
export function encodeRestJsonOutput(model: ServiceModel, op: Operation, output: Input): HttpResponseParts {
  const headers: Record<string, string> = {};
  let status = op.http.responseCode ?? 200;
  if (!op.output) return { status, headers, body: undefined };
  const shape = shapeOf(model, op.output.shape);
  const json: Record<string, unknown> = {};
  let body: Buffer | string | undefined;
  for (const [name, ref] of Object.entries(shape.members ?? {})) {
    const v = output[name];
    if (v === undefined || v === null) continue;
    if (ref.location === 'header') headers[ref.locationName ?? name] = String(v);
    else if (ref.location === 'statusCode') status = Number(v);
    else if (shape.payload === name) body = Buffer.isBuffer(v) ? v : JSON.stringify(v);
    else json[name] = v;
  }
  if (!shape.payload) body = JSON.stringify(json);
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  return { status, headers, body };
}

export function encodeRestJsonError(model: ServiceModel, err: AwsError): HttpResponseParts {
  const shape = model.shapes[err.code];
  const messageKey = shape?.members && 'message' in shape.members && !('Message' in shape.members) ? 'message' : 'Message';
  const body: Record<string, unknown> = { Type: err.type, [messageKey]: err.message, ...err.fields };
  return {
    status: err.status,
    headers: { 'x-amzn-ErrorType': err.code, 'Content-Type': 'application/json', ...err.headers },
    body: JSON.stringify(body),
  };
}

export function toAwsError(err: unknown): AwsError {
  return err instanceof AwsError ? err : Errors.service();
}
