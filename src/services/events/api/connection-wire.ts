/** Connections' and API destinations' wire shapes from the domain's records, and credentials from the wire. */
import type { Input } from '../../../api/service.js';
import type { ApiDestinationRecord, ConnectionAuth, ConnectionRecord, HttpParam, HttpParams } from '../connection-model.js';
import type { AuthChange } from '../connection-service.js';
import type { ConnectionHttpParameters, CreateConnectionAuthRequestParameters, UpdateConnectionAuthRequestParameters } from '../../../wire/inputs/events.js';

const seconds = (ms: number) => ms / 1000;

const paramsFrom = (w: ConnectionHttpParameters | undefined): HttpParams => {
  const list = (ps: { Key?: string; Value?: string; IsValueSecret?: boolean }[] | undefined): HttpParam[] =>
    (ps ?? []).map((p) => ({ key: p.Key ?? '', value: p.Value ?? '', secret: p.IsValueSecret ?? false }));
  return { headers: list(w?.HeaderParameters), query: list(w?.QueryStringParameters), body: list(w?.BodyParameters) };
};

const paramsWire = (p: HttpParams): Input => {
  const list = (ps: HttpParam[]) => ps.map((x) => ({ Key: x.key, ...(x.value !== undefined ? { Value: x.value } : {}), IsValueSecret: x.secret }));
  return {
    ...(p.headers.length > 0 ? { HeaderParameters: list(p.headers) } : {}),
    ...(p.query.length > 0 ? { QueryStringParameters: list(p.query) } : {}),
    ...(p.body.length > 0 ? { BodyParameters: list(p.body) } : {}),
  };
};

export function authFromCreate(w: CreateConnectionAuthRequestParameters): ConnectionAuth {
  const o = w.OAuthParameters;
  return {
    ...(w.ApiKeyAuthParameters ? { apiKey: { name: w.ApiKeyAuthParameters.ApiKeyName, value: w.ApiKeyAuthParameters.ApiKeyValue } } : {}),
    ...(w.BasicAuthParameters ? { basic: { username: w.BasicAuthParameters.Username, password: w.BasicAuthParameters.Password } } : {}),
    ...(o
      ? { oauth: { clientId: o.ClientParameters.ClientID, clientSecret: o.ClientParameters.ClientSecret, endpoint: o.AuthorizationEndpoint, httpMethod: o.HttpMethod, params: paramsFrom(o.OAuthHttpParameters) } }
      : {}),
    invocation: paramsFrom(w.InvocationHttpParameters),
  };
}

export function authFromUpdate(w: UpdateConnectionAuthRequestParameters | undefined): AuthChange | undefined {
  if (w === undefined) return undefined;
  const o = w.OAuthParameters;
  return {
    ...(w.ApiKeyAuthParameters ? { apiKey: { name: w.ApiKeyAuthParameters.ApiKeyName, value: w.ApiKeyAuthParameters.ApiKeyValue } } : {}),
    ...(w.BasicAuthParameters ? { basic: { username: w.BasicAuthParameters.Username, password: w.BasicAuthParameters.Password } } : {}),
    ...(o
      ? {
          oauth: {
            clientId: o.ClientParameters?.ClientID,
            clientSecret: o.ClientParameters?.ClientSecret,
            endpoint: o.AuthorizationEndpoint,
            httpMethod: o.HttpMethod,
            params: o.OAuthHttpParameters ? paramsFrom(o.OAuthHttpParameters) : undefined,
          },
        }
      : {}),
    ...(w.InvocationHttpParameters ? { invocation: paramsFrom(w.InvocationHttpParameters) } : {}),
  };
}

/** What DescribeConnection shows of the credentials: never a secret value. */
export function renderAuth(a: ConnectionAuth): Input {
  return {
    ...(a.apiKey ? { ApiKeyAuthParameters: { ApiKeyName: a.apiKey.name } } : {}),
    ...(a.basic ? { BasicAuthParameters: { Username: a.basic.username } } : {}),
    ...(a.oauth
      ? { OAuthParameters: { ClientParameters: { ClientID: a.oauth.clientId }, AuthorizationEndpoint: a.oauth.endpoint, HttpMethod: a.oauth.httpMethod, OAuthHttpParameters: paramsWire(a.oauth.params) } }
      : {}),
    InvocationHttpParameters: paramsWire(a.invocation),
  };
}

export const renderConnectionSummary = (c: ConnectionRecord, arn: string): Input => ({
  ConnectionArn: arn,
  Name: c.name,
  ConnectionState: c.state,
  ...(c.stateReason !== undefined ? { StateReason: c.stateReason } : {}),
  AuthorizationType: c.authorizationType,
  CreationTime: seconds(c.createdAt),
  LastModifiedTime: seconds(c.modifiedAt),
  ...(c.lastAuthorizedAt !== undefined ? { LastAuthorizedTime: seconds(c.lastAuthorizedAt) } : {}),
});

/** The answer of Create, Update, Deauthorize and DeleteConnection. */
export const renderConnectionChange = (c: ConnectionRecord, arn: string): Input => ({
  ConnectionArn: arn,
  ConnectionState: c.state,
  CreationTime: seconds(c.createdAt),
  LastModifiedTime: seconds(c.modifiedAt),
  ...(c.lastAuthorizedAt !== undefined ? { LastAuthorizedTime: seconds(c.lastAuthorizedAt) } : {}),
});

export const renderConnection = (c: ConnectionRecord, arn: string): Input => ({
  ...renderConnectionSummary(c, arn),
  ...(c.description !== undefined ? { Description: c.description } : {}),
  SecretArn: c.secretArn,
  AuthParameters: renderAuth(c.auth),
});

export const renderApiDestination = (d: ApiDestinationRecord, arn: string): Input => ({
  ApiDestinationArn: arn,
  Name: d.name,
  ApiDestinationState: 'ACTIVE',
  ConnectionArn: d.connectionArn,
  InvocationEndpoint: d.endpoint,
  HttpMethod: d.httpMethod,
  InvocationRateLimitPerSecond: d.rateLimitPerSecond,
  CreationTime: seconds(d.createdAt),
  LastModifiedTime: seconds(d.modifiedAt),
});
