/**
 * HTTP_PROXY integrations: the request goes on to the integration's URI (its `{name}` placeholders
 * filled from the method's path parameters, through `integration.request.path.*` mappings where given;
 * `${stageVariables.x}` replaced), with the client's method (for ANY), query string, headers and body;
 * the backend's answer comes back as it is. No answer within the timeout is API Gateway's 504; no
 * connection at all its 502.
 */
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Clock } from '../../../lib/clock.js';
import type { IntegrationRecord } from '../model.js';
import type { HttpAnswer } from './proxy-response.js';
import type { GatewayRequest } from './request.js';
import { Gateway } from './responses.js';

const HOP_BY_HOP = new Set(['host', 'connection', 'keep-alive', 'transfer-encoding', 'content-length', 'upgrade', 'proxy-connection', 'te', 'trailer']);

export function httpTargetUrl(integration: IntegrationRecord, pathParameters: Record<string, string>, stageVariables: Record<string, string>, query: string): URL {
  const mapped: Record<string, string> = {};
  for (const [target, source] of Object.entries(integration.requestParameters ?? {})) {
    const name = /^integration\.request\.path\.(.+)$/.exec(target)?.[1];
    const from = /^method\.request\.path\.(.+)$/.exec(source)?.[1];
    if (name !== undefined && from !== undefined && pathParameters[from] !== undefined) mapped[name] = pathParameters[from]!;
  }
  const uri = (integration.uri ?? '')
    .replace(/\$\{stageVariables\.([A-Za-z0-9_]+)\}/g, (_, n: string) => stageVariables[n] ?? '')
    .replace(/\{([^}+]+)\+?\}/g, (_, n: string) => (mapped[n] ?? pathParameters[n] ?? '').split('/').map(encodeURIComponent).join('/'));
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    throw Gateway.internal();
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw Gateway.internal();
  if (query !== '') url.search = url.search ? `${url.search}&${query}` : `?${query}`;
  return url;
}

export function callHttpTarget(url: URL, integration: IntegrationRecord, req: GatewayRequest, timers: Clock): Promise<HttpAnswer> {
  const headers: Record<string, string[]> = {};
  for (const [k, v] of req.headers) if (!HOP_BY_HOP.has(k.toLowerCase())) (headers[k] ??= []).push(v);
  const method = !integration.httpMethod || integration.httpMethod === 'ANY' ? req.httpMethod : integration.httpMethod;
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const outgoing = send(url, { method, headers: { ...headers, 'content-length': String(req.body.length) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        timer.cancel();
        resolve({ status: res.statusCode ?? 502, headers: passOn(res.headers), body: Buffer.concat(chunks) });
      });
      res.on('error', () => fail(Gateway.badGateway()));
    });
    const fail = (r: Error) => {
      timer.cancel();
      outgoing.destroy();
      reject(r);
    };
    const timer = timers.setTimeout(() => fail(Gateway.timeout()), integration.timeoutInMillis);
    outgoing.on('error', () => fail(Gateway.badGateway()));
    outgoing.end(req.body);
  });
}

function passOn(headers: IncomingHttpHeaders): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(headers)) if (v !== undefined && !HOP_BY_HOP.has(k)) out[k] = v;
  return out;
}
