/**
 * The Lambda proxy integration's events, payload format 2.0 and 1.0, as API Gateway builds them for
 * HTTP APIs. Text bodies go as they are, others in base64.
 */
import { isTextBody } from '../../function-urls/url-event.js';
import { clfTime, cookiesOf, flatHeaders, multiHeaders, queryParams, type ApiRequest } from './request.js';

export interface RouteContext {
  routeKey: string;
  pathParameters: Record<string, string>;
  stageVariables: Record<string, string>;
  /** What an authorizer found: `{ jwt: {...} }`, `{ lambda: {...} }`, `{ iam: {...} }`. */
  authorizer?: Record<string, unknown>;
  accountId: string;
}

const nonEmpty = <T extends object>(o: T): T | undefined => (Object.keys(o).length > 0 ? o : undefined);

function bodyOf(r: ApiRequest): { body?: string; isBase64Encoded: boolean } {
  if (r.body.length === 0) return { isBase64Encoded: false };
  const text = isTextBody(r.ex.headers['content-type']);
  return { body: text ? r.body.toString('utf8') : r.body.toString('base64'), isBase64Encoded: !text };
}

export function requestContextV2(r: ApiRequest, c: RouteContext): Record<string, unknown> {
  return {
    accountId: c.accountId,
    apiId: r.apiId,
    ...(c.authorizer ? { authorizer: c.authorizer } : {}),
    domainName: r.domainName,
    domainPrefix: r.domainName.split('.')[0],
    http: { method: r.method, path: r.rawPath, protocol: `HTTP/${r.ex.httpVersion}`, sourceIp: r.sourceIp, userAgent: String(r.ex.headers['user-agent'] ?? '') },
    requestId: r.requestId,
    routeKey: c.routeKey,
    stage: r.stage,
    time: clfTime(r.time),
    timeEpoch: r.time,
  };
}

export function eventV2(r: ApiRequest, c: RouteContext): Record<string, unknown> {
  const cookies = cookiesOf(r);
  const { joined } = queryParams(r.query);
  return {
    version: '2.0',
    routeKey: c.routeKey,
    rawPath: r.rawPath,
    rawQueryString: r.query,
    ...(cookies.length > 0 ? { cookies } : {}),
    headers: flatHeaders(r, false),
    ...(nonEmpty(joined) ? { queryStringParameters: joined } : {}),
    requestContext: requestContextV2(r, c),
    ...(nonEmpty(c.pathParameters) ? { pathParameters: c.pathParameters } : {}),
    ...(nonEmpty(c.stageVariables) ? { stageVariables: c.stageVariables } : {}),
    ...bodyOf(r),
  };
}

/** The route's path (`/items/{id}`), or `$default`. */
const resourceOf = (routeKey: string) => (routeKey === '$default' ? '$default' : routeKey.slice(routeKey.indexOf(' ') + 1));

export function requestContextV1(r: ApiRequest, c: RouteContext): Record<string, unknown> {
  return {
    accountId: c.accountId,
    apiId: r.apiId,
    ...(c.authorizer ? { authorizer: c.authorizer } : {}),
    domainName: r.domainName,
    domainPrefix: r.domainName.split('.')[0],
    extendedRequestId: r.requestId,
    httpMethod: r.method,
    identity: {
      accessKey: null,
      accountId: null,
      caller: null,
      cognitoAuthenticationProvider: null,
      cognitoAuthenticationType: null,
      cognitoIdentityId: null,
      cognitoIdentityPoolId: null,
      principalOrgId: null,
      sourceIp: r.sourceIp,
      user: null,
      userAgent: String(r.ex.headers['user-agent'] ?? ''),
      userArn: null,
    },
    path: r.rawPath,
    protocol: `HTTP/${r.ex.httpVersion}`,
    requestId: r.requestId,
    requestTime: clfTime(r.time),
    requestTimeEpoch: r.time,
    resourceId: c.routeKey,
    resourcePath: resourceOf(c.routeKey),
    stage: r.stage,
  };
}

export function eventV1(r: ApiRequest, c: RouteContext): Record<string, unknown> {
  const multi = multiHeaders(r);
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(multi)) headers[k] = v[v.length - 1]!;
  const q = queryParams(r.query);
  return {
    version: '1.0',
    resource: resourceOf(c.routeKey),
    path: r.rawPath,
    httpMethod: r.method,
    headers,
    multiValueHeaders: multi,
    queryStringParameters: nonEmpty(Object.fromEntries(Object.entries(q.multi).map(([k, v]) => [k, v[v.length - 1]!]))) ?? null,
    multiValueQueryStringParameters: nonEmpty(q.multi) ?? null,
    requestContext: requestContextV1(r, c),
    pathParameters: nonEmpty(c.pathParameters) ?? null,
    stageVariables: nonEmpty(c.stageVariables) ?? null,
    body: bodyOf(r).body ?? null,
    isBase64Encoded: bodyOf(r).isBase64Encoded,
  };
}
