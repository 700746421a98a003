/**
 * The Lambda proxy event (payload format 1.0) exactly as API Gateway's REST APIs build it: maps are
 * `null` rather than empty, single-value maps hold the last value, the body is base64 when the
 * request's type is one of the API's binary media types.
 */
import type { MethodMatch } from './match.js';
import { header, isBinaryType, requestTime, type GatewayRequest } from './request.js';

/** What an authorizer left for the integration (`requestContext.authorizer`). */
export type AuthorizerContext = Record<string, string | number | boolean>;

export interface EventContext {
  match: MethodMatch;
  stageVariables: Record<string, string>;
  binaryMediaTypes: readonly string[];
  authorizer?: AuthorizerContext;
  apiKey?: { value: string; id: string };
  /** The signer of an AWS_IAM method's request. */
  caller?: { accessKeyId: string; accountId: string };
}

function multi(pairs: readonly (readonly [string, string])[]): { single: Record<string, string> | null; multi: Record<string, string[]> | null } {
  if (pairs.length === 0) return { single: null, multi: null };
  const single: Record<string, string> = {};
  const all: Record<string, string[]> = {};
  for (const [k, v] of pairs) {
    single[k] = v;
    (all[k] ??= []).push(v);
  }
  return { single, multi: all };
}

const orNull = <T extends object>(o: T): T | null => (Object.keys(o).length > 0 ? o : null);

export function requestContextOf(req: GatewayRequest, ctx: EventContext): Record<string, unknown> {
  const userAgent = header(req, 'user-agent') ?? null;
  return {
    resourceId: ctx.match.resource.id,
    resourcePath: ctx.match.resource.path,
    httpMethod: req.httpMethod,
    extendedRequestId: req.apigwId,
    requestTime: requestTime(req.timeEpoch),
    // On a custom domain, the client's path (mapping key, no stage) as AWS gives it.
    path: req.clientPath ?? `/${req.stage}${req.path}`,
    accountId: req.accountId,
    protocol: req.protocol,
    stage: req.stage,
    domainPrefix: req.domainName.split('.')[0],
    requestTimeEpoch: req.timeEpoch,
    requestId: req.requestId,
    identity: {
      cognitoIdentityPoolId: null,
      accountId: ctx.caller?.accountId ?? null,
      cognitoIdentityId: null,
      caller: ctx.caller?.accessKeyId ?? null,
      sourceIp: req.sourceIp,
      principalOrgId: null,
      accessKey: ctx.caller?.accessKeyId ?? null,
      cognitoAuthenticationType: null,
      cognitoAuthenticationProvider: null,
      userArn: ctx.caller ? `arn:aws:iam::${ctx.caller.accountId}:user/${ctx.caller.accessKeyId}` : null,
      userAgent,
      user: ctx.caller?.accessKeyId ?? null,
      ...(ctx.apiKey ? { apiKey: ctx.apiKey.value, apiKeyId: ctx.apiKey.id } : {}),
    },
    domainName: req.domainName,
    apiId: req.apiId,
    ...(ctx.authorizer ? { authorizer: ctx.authorizer } : {}),
  };
}

export function proxyEvent(req: GatewayRequest, ctx: EventContext): Record<string, unknown> {
  const headers = multi(req.headers);
  const query = multi(req.query);
  const hasBody = req.body.length > 0;
  const binary = hasBody && isBinaryType(header(req, 'content-type'), ctx.binaryMediaTypes);
  return {
    resource: ctx.match.resource.path,
    path: decodePath(req.clientPath ?? req.path),
    httpMethod: req.httpMethod,
    headers: headers.single,
    multiValueHeaders: headers.multi,
    queryStringParameters: query.single,
    multiValueQueryStringParameters: query.multi,
    pathParameters: orNull(ctx.match.pathParameters),
    stageVariables: orNull(ctx.stageVariables),
    requestContext: requestContextOf(req, ctx),
    body: hasBody ? (binary ? req.body.toString('base64') : req.body.toString('utf8')) : null,
    isBase64Encoded: binary,
  };
}

function decodePath(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}
