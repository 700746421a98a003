/**
 * EventBridge connections and API destinations, as stored. A connection's credentials live in a
 * Secrets Manager secret (sealed like every secret); its record keeps them redacted, as
 * DescribeConnection shows them. No wire shapes.
 */
import { z } from 'zod';

/** A header, query string or body parameter sent with every invocation; a secret one is never shown. */
export const HttpParamSchema = z.strictObject({ key: z.string(), value: z.string().optional(), secret: z.boolean() });
export type HttpParam = z.infer<typeof HttpParamSchema>;

export const HttpParamsSchema = z.strictObject({ headers: z.array(HttpParamSchema), query: z.array(HttpParamSchema), body: z.array(HttpParamSchema) });
export type HttpParams = z.infer<typeof HttpParamsSchema>;
export const NO_PARAMS: HttpParams = { headers: [], query: [], body: [] };

export const AuthorizationTypeSchema = z.enum(['API_KEY', 'BASIC', 'OAUTH_CLIENT_CREDENTIALS']);
export type AuthorizationType = z.infer<typeof AuthorizationTypeSchema>;

/** The credentials of a connection; values absent in the redacted form kept on the record. */
export const ConnectionAuthSchema = z.strictObject({
  apiKey: z.strictObject({ name: z.string(), value: z.string().optional() }).optional(),
  basic: z.strictObject({ username: z.string(), password: z.string().optional() }).optional(),
  oauth: z
    .strictObject({
      clientId: z.string(),
      clientSecret: z.string().optional(),
      endpoint: z.string(),
      httpMethod: z.enum(['GET', 'POST', 'PUT']),
      params: HttpParamsSchema,
    })
    .optional(),
  invocation: HttpParamsSchema,
});
export type ConnectionAuth = z.infer<typeof ConnectionAuthSchema>;

export const ConnectionStateSchema = z.enum(['AUTHORIZING', 'AUTHORIZED', 'DEAUTHORIZING', 'DEAUTHORIZED']);
export type ConnectionState = z.infer<typeof ConnectionStateSchema>;

export const ConnectionRecordSchema = z.strictObject({
  name: z.string(),
  /** The last part of its ARN, new with each connection of that name. */
  uuid: z.string(),
  description: z.string().optional(),
  authorizationType: AuthorizationTypeSchema,
  state: ConnectionStateSchema,
  stateReason: z.string().optional(),
  /** Secrets Manager's ARN of the secret holding the credentials. */
  secretArn: z.string(),
  /** Redacted: what DescribeConnection shows. */
  auth: ConnectionAuthSchema,
  createdAt: z.number(),
  modifiedAt: z.number(),
  lastAuthorizedAt: z.number().optional(),
});
export type ConnectionRecord = z.infer<typeof ConnectionRecordSchema>;

export const HTTP_METHODS = ['POST', 'GET', 'HEAD', 'OPTIONS', 'PUT', 'PATCH', 'DELETE'] as const;
export const DEFAULT_RATE_LIMIT = 300;

export const ApiDestinationRecordSchema = z.strictObject({
  name: z.string(),
  uuid: z.string(),
  description: z.string().optional(),
  connectionName: z.string(),
  /** The connection's ARN as given (its uuid names the connection it was made for). */
  connectionArn: z.string(),
  endpoint: z.string(),
  httpMethod: z.enum(HTTP_METHODS),
  rateLimitPerSecond: z.number().int().min(1),
  createdAt: z.number(),
  modifiedAt: z.number(),
});
export type ApiDestinationRecord = z.infer<typeof ApiDestinationRecordSchema>;

const redactParams = (p: HttpParams): HttpParams => {
  const r = (list: HttpParam[]) => list.map((x) => (x.secret ? { key: x.key, secret: true } : x));
  return { headers: r(p.headers), query: r(p.query), body: r(p.body) };
};

/** The credentials without their secret values: what the record keeps and Describe shows. */
export function redact(auth: ConnectionAuth): ConnectionAuth {
  return {
    ...(auth.apiKey ? { apiKey: { name: auth.apiKey.name } } : {}),
    ...(auth.basic ? { basic: { username: auth.basic.username } } : {}),
    ...(auth.oauth ? { oauth: { clientId: auth.oauth.clientId, endpoint: auth.oauth.endpoint, httpMethod: auth.oauth.httpMethod, params: redactParams(auth.oauth.params) } } : {}),
    invocation: redactParams(auth.invocation),
  };
}
