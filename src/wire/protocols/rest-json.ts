/**
 * The REST-JSON protocol (Lambda): the operation from the method and path, its input from the
 * member locations of the model (path labels, query, headers, JSON body or a raw payload), errors
 * as `x-amzn-ErrorType` with `{"Type": "User", "Message": ...}`.
 */
import { Readable } from 'node:stream';
import { EVENT_STREAM_CONTENT_TYPE } from '../eventstream.js';
import { decodeJsonValue, encodeJsonNames, parseJsonBody, type Malformed } from '../decode.js';
import { ApiGatewayErrors, Errors, ProtocolErrors, type AwsError } from '../errors.js';
import { shapeOf, type Operation, type ServiceModel } from '../model.js';
import { validateShape } from '../validate.js';
import { credentialScope } from '../../security/authenticator.js';
import type { AwsRequest, Input, Protocol, Resolution, ResponseParts } from './protocol.js';
import { operationOf, RestRoutes, type RouteMatch } from './rest-routes.js';

type Query = Record<string, string | string[] | undefined>;

// Each service's words for a body that is not what the model says (Lambda's unless listed).
const lambdaMalformed: Malformed = (reason) => Errors.invalidRequestContent(`Could not parse request body into json: ${reason}`);
const MALFORMED: Readonly<Record<string, Malformed>> = {
  apigateway: (reason) => ApiGatewayErrors.badRequest(`Invalid request body: ${reason}`),
};
const malformedOf = (model: ServiceModel): Malformed => MALFORMED[model.metadata.endpointPrefix] ?? lambdaMalformed;
// Services that answer a constraint violation with an exception of their own (API Gateway: BadRequestException).
const INVALID: Readonly<Record<string, (message: string) => AwsError>> = {
  apigateway: (message) => ApiGatewayErrors.badRequest(message),
};

export class RestJsonProtocol implements Protocol {
  private readonly routes: RestRoutes;

  constructor(private readonly models: readonly ServiceModel[]) {
    this.routes = new RestRoutes(models);
  }

  /** Whether some operation has this method and path: the router asks before reading the body. */
  match(method: string, path: string, service?: string): RouteMatch | undefined {
    return this.routes.match(method, path, service);
  }

  resolve(req: AwsRequest): Resolution {
    return this.resolveMatch(req, this.routes.match(req.method, req.path, credentialScope(req.headers)?.service));
  }

  /** As `resolve`, for a request whose route the router has matched already. */
  resolveMatch(req: AwsRequest, match: RouteMatch | undefined): Resolution {
    if (!match) return { model: undefined, error: ProtocolErrors.unknownRoute() };
    const query = parseQuery(req.query);
    const operation = operationOf(match.route, query);
    const model = match.route.model;
    return { call: { model, operation, input: () => decodeInput(model, operation, labelsOf(match), query, req) } };
  }

  check(model: ServiceModel, operation: Operation, input: Input): void {
    if (!operation.input) return;
    decodeJsonValue(model, operation.input.shape, input, malformedOf(model), '', 'handler');
    validate(model, operation, input);
  }

  encode(call: { model: ServiceModel; operation: Operation }, output: Input): ResponseParts {
    return encodeOutput(call.model, call.operation, output);
  }

  error(err: AwsError, model: ServiceModel | undefined): ResponseParts {
    return renderRestJsonError(err, model ?? this.models[0]);
  }
}

/**
 * The error shape of REST-JSON: `Message` (or the model's `message`), `Type` User or Service where the
 * model's exceptions carry it (Lambda's do, API Gateway's do not), and the shape's extra fields.
 */
export function renderRestJsonError(err: AwsError, model: ServiceModel | undefined): ResponseParts {
  // A model without ValidationException says invalid input with its BadRequestException (API Gateway).
  const name = err.kind.name === 'ValidationException' && model && !model.shapes['ValidationException'] && model.shapes['BadRequestException']?.exception ? 'BadRequestException' : err.kind.name;
  const shape = model?.shapes[name];
  const messageKey = shape?.members?.['Message']?.locationName ?? (shape?.members && 'message' in shape.members && !('Message' in shape.members) ? 'message' : 'Message');
  const type = shape === undefined || shape.members?.['Type'] ? { Type: err.kind.fault === 'Sender' ? 'User' : 'Service' } : {};
  const body = Object.assign({}, type, { [messageKey]: err.message }, err.fields);
  return {
    status: err.status,
    headers: { 'x-amzn-ErrorType': name, 'Content-Type': 'application/json', ...err.headers },
    body: JSON.stringify(body),
  };
}

/** Path labels, percent-decoded: a bad escape is a malformed request. */
function labelsOf(match: RouteMatch): Record<string, string> {
  const params: Record<string, string> = {};
  match.route.labels.forEach((name, i) => {
    const raw = match.values[i]!;
    try {
      params[name] = raw.includes('%') ? decodeURIComponent(raw) : raw;
    } catch {
      throw Errors.invalidRequestContent('Malformed request.');
    }
  });
  return params;
}

/** `+` is a space and a repeated key makes a list, as SDKs and curl mean them. */
function parseQuery(qs: string): Query {
  const query: Query = Object.create(null);
  if (qs === '') return query;
  for (const [key, value] of new URLSearchParams(qs)) {
    const seen = query[key];
    if (seen === undefined) query[key] = value;
    else if (Array.isArray(seen)) seen.push(value);
    else query[key] = [seen, value];
  }
  return query;
}

function decodeInput(model: ServiceModel, op: Operation, params: Record<string, string>, query: Query, req: AwsRequest): Input {
  if (!op.input) return {};
  const shape = shapeOf(model, op.input.shape);
  const input: Input = {};
  const malformed = malformedOf(model);
  let bodyMembers: Record<string, unknown> | undefined;
  for (const [name, ref] of Object.entries(shape.members ?? {})) {
    switch (ref.location) {
      case 'uri': {
        const v = params[ref.locationName ?? name];
        if (v !== undefined) input[name] = decodeScalar(model, ref.shape, v, name);
        break;
      }
      case 'querystring': {
        const v = query[ref.locationName ?? name];
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
          else if (req.body.length > 0) input[name] = decodeJsonValue(model, ref.shape, parseJsonBody(req.body, malformed), malformed, name);
        } else {
          bodyMembers ??= bodyObject(req.body, malformed);
          // A body member's wire name (API Gateway's `httpMethod` for `integrationHttpMethod`).
          const v = bodyMembers[ref.locationName ?? name];
          if (v !== undefined && v !== null) input[name] = decodeJsonValue(model, ref.shape, v, malformed, name);
        }
        break;
      default:
        break;
    }
  }
  validate(model, op, input);
  return input;
}

/** The model's constraints, refused in the service's own words. */
function validate(model: ServiceModel, op: Operation, input: Input): void {
  const invalid = INVALID[model.metadata.endpointPrefix];
  if (!invalid) return validateShape(model, op.input!.shape, input);
  try {
    validateShape(model, op.input!.shape, input);
  } catch (err) {
    throw invalid((err as Error).message);
  }
}

function bodyObject(body: Buffer, malformed: Malformed): Record<string, unknown> {
  const parsed = parseJsonBody(body, malformed);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw malformed('expected an object');
  return parsed as Record<string, unknown>;
}

/** Converts a string from a URI, query string or header into the member's declared type. */
function decodeScalar(model: ServiceModel, shapeName: string, raw: string | string[], path: string): unknown {
  const shape = shapeOf(model, shapeName);
  switch (shape.type) {
    case 'integer':
    case 'long': {
      const s = Array.isArray(raw) ? (raw[0] ?? '') : raw;
      if (!/^-?\d+$/.test(s)) throw Errors.invalidParameter(`Invalid value for ${path}: ${s}`);
      return Number(s);
    }
    case 'boolean': {
      const s = Array.isArray(raw) ? (raw[0] ?? '') : raw;
      if (s !== 'true' && s !== 'false') throw Errors.invalidParameter(`Invalid value for ${path}: ${s}`);
      return s === 'true';
    }
    case 'list':
      return Array.isArray(raw) ? raw : [raw];
    default:
      return Array.isArray(raw) ? raw[0] : raw;
  }
}

/** Output objects are JSON-ready (blobs already base64) except a blob payload member, sent raw. */
function encodeOutput(model: ServiceModel, op: Operation, output: Input): ResponseParts {
  const headers: Record<string, string> = {};
  let status = op.http.responseCode ?? 200;
  if (!op.output) return { status, headers, body: undefined };
  const shape = shapeOf(model, op.output.shape);
  const json: Record<string, unknown> = {};
  let body: ResponseParts['body'];
  let contentType = 'application/json';
  for (const [name, ref] of Object.entries(shape.members ?? {})) {
    const v = output[name];
    if (v === undefined || v === null) continue;
    if (ref.location === 'header') headers[ref.locationName ?? name] = String(v);
    else if (ref.location === 'statusCode') status = Number(v);
    else if (shape.payload === name && shapeOf(model, ref.shape).eventstream) {
      // An event-stream output: the handler gives the encoded events as they come.
      if (!(v instanceof Readable)) throw new Error(`${op.name}: an event stream output must be a readable stream`);
      body = v;
      contentType = EVENT_STREAM_CONTENT_TYPE;
    } else if (shape.payload === name) body = Buffer.isBuffer(v) ? v : JSON.stringify(encodeJsonNames(model, ref.shape, v));
    else json[ref.locationName ?? name] = encodeJsonNames(model, ref.shape, v);
  }
  if (!shape.payload) body = JSON.stringify(json);
  if (body !== undefined) headers['Content-Type'] = contentType;
  return { status, headers, body };
}
