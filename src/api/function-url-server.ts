/**
 * Serving function URLs: an HTTP request to /lambda-url/<id>/<path> becomes Lambda's payload
 * format 2.0 event, and the function's answer becomes the HTTP response, as Lambda maps them.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { urlOf } from '../domain/function.js';
import type { FunctionService } from '../functions/function-service.js';
import type { ServerResponse } from 'node:http';
import type { Invoker } from '../invoke/invoker.js';
import { corsHeaders, parseCors, preflight } from './url-cors.js';
import { urlResponseStream } from './url-response-stream.js';
import type { Clock } from '../lib/clock.js';
import { newRequestId } from '../lib/ids.js';
import type { Account } from '../wire/arn.js';
import { isThrottled } from '../wire/errors.js';
import { SignatureRefused, type Authenticator } from '../security/authenticator.js';

const TEXT_TYPES = /^(text\/|application\/(json|xml|javascript|x-www-form-urlencoded)|.*\+(json|xml))/i;

export function functionUrlRoutes(functions: FunctionService, invoker: Invoker, account: Account, clock: Clock, authenticator: Authenticator) {
  return (app: FastifyInstance): void => {
    const handle = async (req: FastifyRequest<{ Params: { id: string; '*'?: string } }>, reply: FastifyReply) => {
      const owner = await functions.functionForUrl(req.params.id);
      const fn = owner ? await functions.get(owner.name).catch(() => undefined) : undefined;
      const url = fn && urlOf(fn, owner?.alias);
      if (!fn || !url) return reply.code(404).send({ Message: null });
      if (url.authType === 'AWS_IAM') {
        const refused = await signatureRefusal(req, authenticator);
        if (refused !== undefined) return reply.code(403).send(refused);
      }
      const requestId = newRequestId();
      const cors = parseCors(url.cors);
      // A CORS preflight is the URL's own to answer: the function never sees it.
      const pre = preflight(cors, req.method, req.headers);
      if (pre) return reply.code(pre.status).headers({ ...pre.headers, 'x-amzn-requestid': requestId }).send();
      const allow = corsHeaders(cors, req.headers);
      const event = toEvent(req, req.params.id, req.params['*'] ?? '', account.accountId, requestId, clock.now());
      try {
        const target = await invoker.resolve(owner?.alias === undefined ? { name: fn.name } : { name: fn.name, qualifier: owner.alias });
        // RESPONSE_STREAM: the function's bytes go to the client as they are written.
        const stream = url.invokeMode === 'RESPONSE_STREAM' ? urlResponseStream(reply.raw, requestId, allow) : undefined;
        // Answers are written on the raw response, so that headers are exactly Lambda's.
        reply.hijack();
        const result = await invoker.invoke(target, Buffer.from(JSON.stringify(event)), { requestId, ...(stream ? { responseSink: stream.sink } : {}) });
        if (stream?.started) return reply;
        if (!result.outcome.ok) return writeError(reply.raw, requestId, 502, allow);
        return writeResult(reply.raw, requestId, result.outcome.payload, allow);
      } catch (err) {
        return writeError(reply.raw, requestId, isThrottled(err) ? 429 : 502, allow);
      }
    };
    app.all('/lambda-url/:id', handle);
    app.all('/lambda-url/:id/*', handle);
  };
}

/**
 * Why an `AWS_IAM` URL refuses the request, as Lambda's URLs answer: `Forbidden` with no signature,
 * AWS's message for one that does not hold (signed for the `lambda` service).
 */
async function signatureRefusal(req: FastifyRequest, authenticator: Authenticator): Promise<Record<string, string> | undefined> {
  const presigned = req.url.includes('X-Amz-Signature=');
  if (typeof req.headers['authorization'] !== 'string' && !presigned) return { Message: 'Forbidden' };
  const raw = req.raw.url ?? '/';
  const q = raw.indexOf('?');
  const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
  try {
    await authenticator.authenticate({ method: req.method, path: q === -1 ? raw : raw.slice(0, q), query: q === -1 ? '' : raw.slice(q + 1), headers: req.headers, body }, { service: 'lambda' });
    return undefined;
  } catch (err) {
    if (err instanceof SignatureRefused) return { message: err.message };
    throw err;
  }
}

function toEvent(req: FastifyRequest, id: string, path: string, accountId: string, requestId: string, now: number) {
  const url = new URL(req.url, 'http://localhost');
  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  for (const [k, v] of Object.entries(req.headers)) {
    if (v === undefined) continue;
    if (k === 'cookie') cookies.push(...String(v).split(/;\s*/));
    else headers[k] = Array.isArray(v) ? v.join(',') : v;
  }
  const query: Record<string, string> = {};
  for (const [k, v] of url.searchParams) query[k] = query[k] === undefined ? v : `${query[k]},${v}`;
  const body = Buffer.isBuffer(req.body) && req.body.length > 0 ? req.body : undefined;
  const text = body !== undefined && TEXT_TYPES.test(String(req.headers['content-type'] ?? 'text/plain'));
  const rawPath = `/${path}`;
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath,
    rawQueryString: url.search.slice(1),
    ...(cookies.length > 0 ? { cookies } : {}),
    headers,
    ...(Object.keys(query).length > 0 ? { queryStringParameters: query } : {}),
    requestContext: {
      accountId,
      apiId: id,
      domainName: String(req.headers.host ?? 'localhost'),
      domainPrefix: id,
      http: { method: req.method, path: rawPath, protocol: `HTTP/${req.raw.httpVersion}`, sourceIp: req.ip, userAgent: String(req.headers['user-agent'] ?? '') },
      requestId,
      routeKey: '$default',
      stage: '$default',
      time: new Date(now).toUTCString(),
      timeEpoch: now,
    },
    ...(body !== undefined ? { body: text ? body.toString('utf8') : body.toString('base64'), isBase64Encoded: !text } : { isBase64Encoded: false }),
  };
}

/** Lambda's answer when the function failed (502) or was throttled (429); nothing if the answer has begun. */
function writeError(res: ServerResponse, requestId: string, status: number, allow: Record<string, string>): void {
  if (res.headersSent) return void res.end();
  res.writeHead(status, { 'content-type': 'application/json', 'x-amzn-requestid': requestId, ...allow });
  res.end(JSON.stringify({ Message: status === 429 ? 'Rate Exceeded.' : 'Internal Server Error' }));
}

/**
 * Lambda's rules: an object with `statusCode` is a full response; anything else is a 200 whose body
 * is the result's JSON, sent as `application/json` (a string result too), with no charset added.
 */
function writeResult(res: ServerResponse, requestId: string, payload: Buffer, allow: Record<string, string>): void {
  let result: unknown;
  try {
    result = JSON.parse(payload.toString('utf8'));
  } catch {
    return writeError(res, requestId, 502, allow);
  }
  if (typeof result === 'object' && result !== null && 'statusCode' in result) {
    const r = result as { statusCode: number; headers?: Record<string, string>; body?: string; isBase64Encoded?: boolean; cookies?: string[] };
    const headers: Record<string, string | string[]> = { 'x-amzn-requestid': requestId, ...allow };
    for (const [k, v] of Object.entries(r.headers ?? {})) headers[k.toLowerCase()] = String(v);
    if (r.cookies?.length) headers['set-cookie'] = r.cookies;
    headers['content-type'] ??= 'application/json';
    const body = r.body === undefined ? '' : r.isBase64Encoded ? Buffer.from(r.body, 'base64') : r.body;
    res.writeHead(r.statusCode, headers);
    res.end(body);
    return;
  }
  res.writeHead(200, { 'content-type': 'application/json', 'x-amzn-requestid': requestId, ...allow });
  res.end(typeof result === 'string' ? result : payload);
}

