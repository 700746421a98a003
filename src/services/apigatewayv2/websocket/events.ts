/**
 * The events a WebSocket API gives a Lambda proxy integration: CONNECT (with the handshake's
 * headers and query string), MESSAGE (with the body) and DISCONNECT (with the close code), each with
 * API Gateway's requestContext.
 */
import { clfTime, newApiRequestId } from '../http/request.js';

/** What a connection's events share, fixed when it opens. */
export interface ConnectionFacts {
  connectionId: string;
  apiId: string;
  stage: string;
  connectedAt: number;
  /** The name the client connected to: the API's execute-api name (which a function calls back, `https://${domainName}/${stage}`), or the custom domain name it came through. */
  domainName: string;
  sourceIp: string;
  userAgent: string;
  stageVariables: Record<string, string>;
  /** What a Lambda authorizer returned on $connect, passed to every route. */
  authorizer?: Record<string, unknown>;
}

export interface Handshake {
  rawHeaders: readonly string[];
  query: string;
}

type Json = Record<string, unknown>;

function requestContext(c: ConnectionFacts, routeKey: string, eventType: 'CONNECT' | 'MESSAGE' | 'DISCONNECT', now: number, requestId: string): Json {
  return {
    routeKey,
    eventType,
    extendedRequestId: requestId,
    requestTime: clfTime(now),
    messageDirection: 'IN',
    stage: c.stage,
    connectedAt: c.connectedAt,
    requestTimeEpoch: now,
    identity: { sourceIp: c.sourceIp, userAgent: c.userAgent },
    requestId,
    domainName: c.domainName,
    connectionId: c.connectionId,
    apiId: c.apiId,
    ...(c.authorizer ? { authorizer: c.authorizer } : {}),
  };
}

export function connectEvent(c: ConnectionFacts, h: Handshake, now: number, requestId = newApiRequestId()): Json {
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  for (let i = 0; i + 1 < h.rawHeaders.length; i += 2) {
    const name = h.rawHeaders[i]!;
    const value = h.rawHeaders[i + 1]!;
    headers[name] = headers[name] === undefined ? value : `${headers[name]},${value}`;
    (multiValueHeaders[name] ??= []).push(value);
  }
  const query: Record<string, string> = {};
  const multiQuery: Record<string, string[]> = {};
  for (const [k, v] of new URLSearchParams(h.query)) {
    query[k] = v;
    (multiQuery[k] ??= []).push(v);
  }
  const hasQuery = Object.keys(query).length > 0;
  return {
    headers,
    multiValueHeaders,
    ...(hasQuery ? { queryStringParameters: query, multiValueQueryStringParameters: multiQuery } : {}),
    requestContext: { ...requestContext(c, '$connect', 'CONNECT', now, requestId), messageId: null },
    isBase64Encoded: false,
    ...(Object.keys(c.stageVariables).length > 0 ? { stageVariables: c.stageVariables } : {}),
  };
}

export function messageEvent(c: ConnectionFacts, routeKey: string, body: Buffer, binary: boolean, messageId: string, now: number, requestId: string): Json {
  return {
    requestContext: { ...requestContext(c, routeKey, 'MESSAGE', now, requestId), messageId },
    body: binary ? body.toString('base64') : body.toString('utf8'),
    isBase64Encoded: binary,
    ...(Object.keys(c.stageVariables).length > 0 ? { stageVariables: c.stageVariables } : {}),
  };
}

export function disconnectEvent(c: ConnectionFacts, statusCode: number, reason: string, now: number): Json {
  return {
    headers: { Host: c.domainName },
    multiValueHeaders: { Host: [c.domainName] },
    requestContext: { ...requestContext(c, '$disconnect', 'DISCONNECT', now, newApiRequestId()), disconnectStatusCode: statusCode, disconnectReason: reason, messageId: null },
    isBase64Encoded: false,
    ...(Object.keys(c.stageVariables).length > 0 ? { stageVariables: c.stageVariables } : {}),
  };
}
