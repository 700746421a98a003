/**
 * The rest-xml protocol (S3): the operation from the method, path, query and headers; its input from
 * the member locations of the model (path labels, query, headers, header-prefix maps, an XML payload or
 * a streamed blob); output as headers plus an XML document or a streamed body; errors as
 * `<Error><Code>…</Code><Message>…</Message></Error>`. Virtual-hosted requests
 * (`<bucket>.s3.localhost`) are read as their path-style equivalent.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { Readable } from 'node:stream';
import { AwsError, ProtocolErrors, S3Errors } from '../errors.js';
import { shapeOf, type Operation, type ServiceModel } from '../model.js';
import { decodeJsonValue } from '../decode.js';
import { validateShape } from '../validate.js';
import type { AwsRequest, Input, Protocol, Resolution, ResponseParts } from './protocol.js';
import { RestRoutes, type RouteMatch } from './rest-routes.js';
import { AwsChunkedDecoder, type ChunkCheckedStream } from './aws-chunked.js';
import { decodeXmlValue, encodeXmlElement, parseXmlDocument } from './xml-shapes.js';
import { escapeXml } from './xml.js';
import { memoByString } from '../../lib/memo.js';

type Query = Record<string, string | undefined>;

const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';
const malformed = (reason: string) => S3Errors.malformedXml(reason);

export class RestXmlProtocol implements Protocol {
  private readonly routes: RestRoutes;

  constructor(private readonly models: readonly ServiceModel[]) {
    this.routes = new RestRoutes(models);
  }

  /** Whether a request is for this protocol's services: signed for one of them, or addressed to a bucket's host. */
  claims(headers: IncomingHttpHeaders, signingService: string | undefined, rawQuery: string): boolean {
    if (this.models.length === 0) return false;
    const names = this.models.map((m) => m.metadata.signingName ?? m.metadata.endpointPrefix);
    if (signingService !== undefined) return names.includes(signingService);
    const credential = rawQuery.includes('X-Amz-Credential=') ? new URLSearchParams(rawQuery).get('X-Amz-Credential') : null;
    if (credential) return names.includes(credential.split('/')[3] ?? '');
    return virtualHostBucket(headers.host) !== undefined;
  }

  /** The path-style path of a request, its bucket taken from a virtual host when there is one. */
  pathOf(headers: IncomingHttpHeaders, path: string): string {
    const bucket = virtualHostBucket(headers.host);
    const full = bucket === undefined ? path : `/${bucket}${path === '/' ? '' : path}`;
    // `/bucket/` names the bucket, as `/bucket` does.
    return /^\/[^/]+\/$/.test(full) ? full.slice(0, -1) : full;
  }

  match(method: string, path: string): RouteMatch | undefined {
    return this.routes.match(method, path);
  }

  resolve(req: AwsRequest): Resolution {
    const match = this.routes.match(req.method, req.path);
    if (!match) return { model: this.models[0], error: ProtocolErrors.unknownRoute() };
    const query = parseQuery(req.query);
    const operation = chooseOperation(match, query, req.headers);
    if (!operation) return { model: match.route.model, error: ProtocolErrors.unknownRoute() };
    const model = match.route.model;
    return { call: { model, operation, input: () => decodeInput(model, operation, match, query, req) } };
  }

  /** Whether the operation's input is a streamed body: the router then hands the request over unread. */
  streamsInput(model: ServiceModel, operation: Operation): boolean {
    if (!operation.input) return false;
    const shape = shapeOf(model, operation.input.shape);
    return shape.payload !== undefined && shape.members?.[shape.payload]?.streaming === true;
  }

  check(model: ServiceModel, operation: Operation, input: Input): void {
    if (!operation.input) return;
    decodeJsonValue(model, operation.input.shape, input, malformed, '', 'handler');
    validate(model, operation, input);
  }

  encode(call: { model: ServiceModel; operation: Operation }, output: Input, requestId: string): ResponseParts {
    return encodeOutput(call.model, call.operation, output, requestId);
  }

  error(err: AwsError, _model: ServiceModel | undefined, requestId: string): ResponseParts {
    let fields = '';
    for (const [k, v] of Object.entries(err.fields)) fields += `<${k}>${escapeXml(v)}</${k}>`;
    const body = `${XML_DECLARATION}<Error><Code>${err.kind.name}</Code><Message>${escapeXml(err.message)}</Message>${fields}<RequestId>${requestId}</RequestId></Error>`;
    return { status: err.status, headers: { 'Content-Type': 'application/xml', 'x-amz-request-id': requestId, ...err.headers }, body };
  }
}

/** `bucket.s3.localhost[:port]`, `bucket.localhost[:port]` (as the SDK forms it) or `bucket.s3.<region>…`. */
function virtualHostBucket(host: string | undefined): string | undefined {
  return host ? bucketOfHost(host) : undefined;
}

/** Every request asks (S3 is told from the others by its host); the Host header nearly never changes. */
const bucketOfHost = memoByString((host: string): string | undefined => {
  const name = host.replace(/:\d+$/, '').toLowerCase();
  const m = /^(.+?)\.s3(?:[.-][^.]+)*\.(?:localhost|amazonaws\.com)$/.exec(name) ?? /^(.+)\.localhost$/.exec(name);
  if (!m || m[1] === 's3') return undefined;
  return m[1];
});

/** `?uploads` and `?list-type=2` literals from each operation's URI; then the candidate whose required query and header members the request carries, the most specific first. */
function chooseOperation(match: RouteMatch, query: Query, headers: IncomingHttpHeaders): Operation | undefined {
  let best: Operation | undefined;
  let bestScore = -1;
  for (const { operation } of match.route.candidates) {
    const literal = operation.http.requestUri.split('?')[1];
    let score = 0;
    let fits = true;
    if (literal) {
      for (const [k, v] of new URLSearchParams(literal)) {
        if (query[k] === undefined || (v !== '' && query[k] !== v)) fits = false;
        score += 100;
      }
    }
    const input = operation.input ? shapeOf(match.route.model, operation.input.shape) : undefined;
    for (const name of input?.required ?? []) {
      const ref = input!.members![name]!;
      if (ref.location === 'querystring') fits &&= query[ref.locationName ?? name] !== undefined;
      else if (ref.location === 'header') fits &&= headers[(ref.locationName ?? name).toLowerCase()] !== undefined;
      else continue;
      score += 1;
    }
    if (operation.deprecated) score -= 0.5; // its successor shares the route
    if (fits && score > bestScore) [best, bestScore] = [operation, score];
  }
  return best;
}

function parseQuery(qs: string): Query {
  const query: Query = Object.create(null);
  if (qs === '') return query;
  for (const [key, value] of new URLSearchParams(qs)) query[key] ??= value;
  return query;
}

function decodeInput(model: ServiceModel, op: Operation, match: RouteMatch, query: Query, req: AwsRequest): Input {
  if (!op.input) return {};
  const shape = shapeOf(model, op.input.shape);
  const labels: Record<string, string> = {};
  match.route.labels.forEach((name, i) => {
    try {
      labels[name] = decodeURIComponent(match.values[i]!);
    } catch {
      throw S3Errors.invalidUri();
    }
  });
  const input: Input = {};
  for (const [name, ref] of Object.entries(shape.members ?? {})) {
    const wire = ref.locationName ?? name;
    switch (ref.location) {
      case 'uri':
        if (labels[wire] !== undefined) input[name] = labels[wire];
        break;
      case 'querystring':
        if (query[wire] !== undefined) input[name] = scalar(model, ref.shape, query[wire]!, name);
        break;
      case 'header': {
        const v = headerValue(req.headers, wire.toLowerCase());
        if (v !== undefined) input[name] = scalar(model, ref.shape, v, name);
        break;
      }
      case 'headers': {
        const prefix = wire.toLowerCase();
        const map: Record<string, string> = {};
        for (const [h, v] of Object.entries(req.headers)) if (h.startsWith(prefix) && v !== undefined) map[h.slice(prefix.length)] = Array.isArray(v) ? v.join(',') : v;
        if (Object.keys(map).length > 0) input[name] = map;
        break;
      }
      case undefined:
        if (shape.payload !== name) break;
        if (ref.streaming) input[name] = streamedBody(req);
        else if (shapeOf(model, ref.shape).type === 'structure') {
          if (req.body.length > 0) input[name] = decodeXmlValue(model, ref.shape, parseXmlDocument(req.body, malformed), malformed);
        } else input[name] = shapeOf(model, ref.shape).type === 'string' ? req.body.toString('utf8') : req.body;
        break;
      default:
        break;
    }
  }
  validate(model, op, input);
  return input;
}

/**
 * A streamed body after `aws-chunked` framing (SDKs' streamed uploads) is taken off; the decoder keeps
 * the trailers, and `announcedTrailers` names those `x-amz-trailer` announced.
 */
export type StreamedBody = Readable & { trailers?: Readonly<Record<string, string>>; announcedTrailers?: readonly string[] };

function isAwsChunked(headers: IncomingHttpHeaders): boolean {
  const encoding = headers['content-encoding'];
  const sha = headers['x-amz-content-sha256'];
  return (typeof encoding === 'string' && encoding.split(',').some((e) => e.trim() === 'aws-chunked')) || (typeof sha === 'string' && sha.startsWith('STREAMING-'));
}

function streamedBody(req: AwsRequest): StreamedBody {
  const raw = req.stream ?? Readable.from(req.body);
  if (!isAwsChunked(req.headers)) return raw;
  const announced = headerValue(req.headers, 'x-amz-trailer');
  const declared = announced?.split(',').map((n) => n.trim().toLowerCase()).filter((n) => n !== '');
  const decoder = new AwsChunkedDecoder((raw as ChunkCheckedStream).chunkCheck, declared);
  raw.on('error', (err) => decoder.destroy(err));
  // The body may fail (a chunk signature, a trailer) before the handler reads it: the error stays on
  // the stream, where the handler's pipeline finds it, instead of going uncaught.
  decoder.on('error', () => undefined);
  return raw.pipe(decoder);
}

/** What clients mean by a header, once the transport's own encodings are set aside. */
function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name];
  const value = Array.isArray(v) ? v.join(',') : v;
  if (value === undefined || !isAwsChunked(headers)) return value;
  if (name === 'content-length') return (headers['x-amz-decoded-content-length'] as string | undefined) ?? undefined;
  if (name === 'content-encoding') {
    const rest = value.split(',').map((e) => e.trim()).filter((e) => e !== 'aws-chunked' && e !== '');
    return rest.length > 0 ? rest.join(', ') : undefined;
  }
  return value;
}

function scalar(model: ServiceModel, shapeName: string, raw: string, member: string): unknown {
  switch (shapeOf(model, shapeName).type) {
    case 'integer':
    case 'long': {
      if (!/^-?\d+$/.test(raw)) throw S3Errors.invalidArgument(`Invalid value for ${member}: ${raw}`);
      return Number(raw);
    }
    case 'boolean':
      return raw === 'true';
    case 'timestamp': {
      const ms = Date.parse(raw);
      if (Number.isNaN(ms)) throw S3Errors.invalidArgument(`Invalid date for ${member}: ${raw}`);
      return ms / 1000;
    }
    case 'list':
      return raw.split(',').map((s) => s.trim());
    default:
      return raw;
  }
}

const httpDate = (v: unknown): string => (typeof v === 'string' ? v : new Date(Number(v) * 1000).toUTCString());

function encodeOutput(model: ServiceModel, op: Operation, output: Input, requestId: string): ResponseParts {
  const headers: Record<string, string> = { 'x-amz-request-id': requestId };
  let status = op.http.responseCode ?? 200;
  if (!op.output) return { status, headers, body: undefined };
  const shape = shapeOf(model, op.output.shape);
  const xmlns = model.metadata.xmlNamespace ?? `http://${model.metadata.endpointPrefix}.amazonaws.com/doc/${model.metadata.apiVersion}/`;
  let body: ResponseParts['body'];
  const members: Record<string, unknown> = {};
  for (const [name, ref] of Object.entries(shape.members ?? {})) {
    const v = output[name];
    if (v === undefined || v === null) continue;
    if (ref.location === 'header') headers[ref.locationName ?? name] = shapeOf(model, ref.shape).type === 'timestamp' ? httpDate(v) : String(v);
    else if (ref.location === 'headers') for (const [k, mv] of Object.entries(v as Record<string, string>)) headers[`${ref.locationName ?? name}${k}`] = mv;
    else if (ref.location === 'statusCode') status = Number(v);
    else if (shape.payload === name) {
      if (v instanceof Readable || Buffer.isBuffer(v) || typeof v === 'string') body = v;
      else body = XML_DECLARATION + encodeXmlElement(model, ref.locationName ?? name, ref.shape, v, xmlns);
    } else members[name] = v;
  }
  if (!shape.payload && Object.keys(members).length > 0) {
    body = XML_DECLARATION + encodeXmlElement(model, op.output.shape.endsWith('Output') ? op.output.shape.replace(/Output$/, 'Result') : op.output.shape, op.output.shape, members, xmlns);
  }
  if (typeof body === 'string' && headers['Content-Type'] === undefined) headers['Content-Type'] = 'application/xml';
  // A part of a representation is a 206, whatever the operation's usual status (HTTP's rule for ranges).
  if (status === 200 && headers['Content-Range'] !== undefined) status = 206;
  return { status, headers, body };
}

/** The model's constraints; rest-xml services (S3) have no ValidationException: input outside the model is an InvalidArgument. */
function validate(model: ServiceModel, op: Operation, input: Input): void {
  try {
    validateShape(model, op.input!.shape, input);
  } catch (err) {
    throw err instanceof AwsError && err.kind === ProtocolErrors.validation.kind ? S3Errors.invalidArgument(err.message) : err;
  }
}
