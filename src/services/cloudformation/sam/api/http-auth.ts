/**
 * Auth on an HTTP API: JWT (OAuth2) and Lambda (REQUEST) authorizers as OpenAPI securitySchemes, the
 * built-in AWS_IAM one (EnableIamAuthorizer), a DefaultAuthorizer on every route without security,
 * per-event Authorizer / AuthorizationScopes, and the permission to call a Lambda authorizer when
 * EnableFunctionDefaultPermissions asks for it.
 */
import { invalidEvent, invalidResource } from '../errors.js';
import { isNoValue, isObject, type Json, type JsonObject } from '../intrinsics.js';
import type { CfnResource, PassThrough } from '../model.js';
import { authorizerPermission } from './auth.js';
import { conditionalContents, INTEGRATION, normalizeMethod } from './swagger.js';

const FIELDS = ['Authorizers', 'DefaultAuthorizer', 'EnableIamAuthorizer'];
const AUTHORIZER = 'x-amazon-apigateway-authorizer';
const OPENAPI_3 = /^3\.\d\.\d$/;
const ALLOWED: Record<string, string[]> = {
  JWT: ['AuthorizationScopes', 'JwtConfiguration', 'IdentitySource'],
  REQUEST: ['FunctionArn', 'FunctionInvokeRole', 'Identity', 'AuthorizerPayloadFormatVersion', 'EnableSimpleResponses', 'EnableFunctionDefaultPermissions'],
};
const FOR: Record<string, string> = {
  AuthorizationScopes: 'OAuth2 Authorizer', JwtConfiguration: 'OAuth2 Authorizer',
  IdentitySource: "OAuth2 Authorizer. For Lambda Authorizer, use the 'Identity' property instead",
  FunctionArn: 'Lambda Authorizer', FunctionInvokeRole: 'Lambda Authorizer', Identity: 'Lambda Authorizer',
  AuthorizerPayloadFormatVersion: 'Lambda Authorizer', EnableSimpleResponses: 'Lambda Authorizer', EnableFunctionDefaultPermissions: 'Lambda Authorizer',
};

export function applyHttpAuth(id: string, body: JsonObject | undefined, auth: JsonObject, attributes: PassThrough, partition: string): Array<[string, CfnResource]> {
  if (!body) throw invalidResource(id, "Auth works only with inline OpenApi specified in the 'DefinitionBody' property.");
  if (!Object.keys(auth).every((k) => FIELDS.includes(k))) throw invalidResource(id, "Invalid value for 'Auth' property");
  if (!(isObject(body['paths']) && typeof body['openapi'] === 'string' && OPENAPI_3.test(body['openapi']))) {
    throw invalidResource(id, "Unable to add Auth configuration because 'DefinitionBody' does not contain a valid OpenApi definition.");
  }
  const authorizers = readAuthorizers(id, auth);
  const schemes: JsonObject = {};
  for (const [name, config] of authorizers) schemes[name] = scheme(config, partition);
  if (Object.keys(schemes).length > 0) {
    const components = (isObject(body['components']) ? body['components'] : (body['components'] = {})) as JsonObject;
    const existing = isObject(components['securitySchemes']) ? components['securitySchemes'] : {};
    components['securitySchemes'] = { ...existing, ...schemes };
  }
  const defaultAuthorizer = auth['DefaultAuthorizer'];
  if (defaultAuthorizer && !isNoValue(defaultAuthorizer)) {
    if (typeof defaultAuthorizer !== 'string') throw invalidResource(id, "Property 'Auth.DefaultAuthorizer' should be a string.");
    if (!authorizers.has(defaultAuthorizer)) {
      throw invalidResource(id, `Unable to set DefaultAuthorizer because '${defaultAuthorizer}' was not defined in 'Authorizers'.`);
    }
    const scopes = authorizers.get(defaultAuthorizer)!['AuthorizationScopes'];
    for (const path of Object.keys(body['paths'] as JsonObject)) {
      for (const item of conditionalContents((body['paths'] as JsonObject)[path])) {
        if (!isObject(item)) continue;
        for (const [name, method] of Object.entries(item)) {
          if (name === 'parameters' || name === 'options') continue;
          for (const def of conditionalContents(method)) {
            if (!isObject(def) || !isObject(def[INTEGRATION]) || def['security']) continue;
            def['security'] = [{ [defaultAuthorizer]: Array.isArray(scopes) ? scopes : [] }];
          }
        }
      }
    }
  }
  const permissions: Array<[string, CfnResource]> = [];
  for (const [name, config] of authorizers) {
    if (!config['FunctionArn'] || !config['EnableFunctionDefaultPermissions']) continue;
    permissions.push(authorizerPermission(id, name, config['FunctionArn'], '${AWS::Partition}', attributes));
  }
  return permissions;
}

function readAuthorizers(id: string, auth: JsonObject): Map<string, JsonObject> {
  const out = new Map<string, JsonObject>();
  if (auth['EnableIamAuthorizer'] === true) out.set('AWS_IAM', { __iam: true });
  const config = auth['Authorizers'];
  if (!config) return out;
  if (!isObject(config)) throw invalidResource(id, "Property 'Auth.Authorizers' should be a map.");
  for (const [name, a] of Object.entries(config)) {
    if (!isObject(a)) throw invalidResource(id, `Property 'Auth.Authorizers.${name}' should be a map.`);
    if ('OpenIdConnectUrl' in a) {
      throw invalidResource(id, `'OpenIdConnectUrl' is no longer a supported property for authorizer '${name}'. Please refer to the AWS SAM documentation.`);
    }
    const type = a['JwtConfiguration'] ? 'JWT' : 'REQUEST';
    if (a['AuthorizationScopes'] !== undefined && a['AuthorizationScopes'] !== null && !Array.isArray(a['AuthorizationScopes'])) {
      throw invalidResource(id, 'AuthorizationScopes must be a list.');
    }
    for (const [prop, allowedFor] of Object.entries(FOR)) {
      if (a[prop] !== undefined && a[prop] !== null && !ALLOWED[type]!.includes(prop)) throw invalidResource(id, `${prop} is only supported for ${allowedFor}.`);
    }
    if (type === 'JWT' && !a['IdentitySource']) throw invalidResource(id, `${name} OAuth2 Authorizer must define 'IdentitySource'.`);
    if (type === 'REQUEST') {
      if (!a['FunctionArn']) throw invalidResource(id, `${name} Lambda Authorizer must define 'FunctionArn'.`);
      if (!a['AuthorizerPayloadFormatVersion']) throw invalidResource(id, `${name} Lambda Authorizer must define 'AuthorizerPayloadFormatVersion'.`);
    }
    out.set(name, a);
  }
  return out;
}

function scheme(a: JsonObject, partition: string): JsonObject {
  if (a['__iam']) return { type: 'apiKey', name: 'Authorization', in: 'header', 'x-amazon-apigateway-authtype': 'awsSigv4' };
  if (a['JwtConfiguration']) {
    return { type: 'oauth2', [AUTHORIZER]: { jwtConfiguration: a['JwtConfiguration'], identitySource: a['IdentitySource']!, type: 'jwt' } };
  }
  const authorizer: JsonObject = {
    type: 'request',
    authorizerUri: {
      // The authorizer's URI names the partition outright (the event integrations use ${AWS::Partition}).
      'Fn::Sub': [`arn:${partition}:apigateway:\${AWS::Region}:lambda:path/2015-03-31/functions/\${__FunctionArn__}/invocations`, { __FunctionArn__: a['FunctionArn']! }],
    },
  };
  const role = a['FunctionInvokeRole'];
  if (role && role !== 'NONE') authorizer['authorizerCredentials'] = role;
  const identity = a['Identity'];
  if (isObject(identity)) {
    if (identity['ReauthorizeEvery'] !== undefined && identity['ReauthorizeEvery'] !== null) authorizer['authorizerResultTtlInSeconds'] = identity['ReauthorizeEvery'];
    const sources: Json[] = [];
    for (const [prefix, key] of [['$request.header.', 'Headers'], ['$request.querystring.', 'QueryStrings'], ['$stageVariables.', 'StageVariables'], ['$context.', 'Context']] as const) {
      const values = identity[key];
      if (Array.isArray(values)) for (const v of values) sources.push(prefix + String(v));
    }
    authorizer['identitySource'] = sources;
  }
  authorizer['authorizerPayloadFormatVersion'] = a['AuthorizerPayloadFormatVersion']!;
  if (a['EnableSimpleResponses']) authorizer['enableSimpleResponses'] = a['EnableSimpleResponses'];
  return { type: 'apiKey', name: 'Unused', in: 'header', [AUTHORIZER]: authorizer };
}

/** An HttpApi event's Auth: checked against the API's, then written as the route's security. */
export function applyHttpEventAuth(eventId: string, body: JsonObject, api: JsonObject, path: string, method: string, auth: JsonObject): void {
  const apiAuth = api['Auth'] ?? {};
  if (!isObject(apiAuth)) throw invalidResource(String(eventId), "Property 'Auth' should be a map.");
  let authorizer = auth['Authorizer'];
  if (!authorizer) {
    if (!apiAuth['DefaultAuthorizer']) {
      throw invalidEvent(eventId, "'Auth' section requires either an explicit 'Authorizer' set or a 'DefaultAuthorizer' configured on the HttpApi.");
    }
    authorizer = apiAuth['DefaultAuthorizer'];
  }
  const apiAuthorizers = apiAuth['Authorizers'];
  const iam = apiAuth['EnableIamAuthorizer'] === true;
  if (authorizer !== 'NONE' && !(authorizer === 'AWS_IAM' && iam) && (typeof authorizer !== 'string' || !isObject(apiAuthorizers))) {
    throw invalidEvent(
      eventId,
      `Unable to set Authorizer [${String(authorizer)}] on API method [${method}] for path [${path}]. The method authorizer must be a string with a corresponding dict entry in the api authorizer.`,
    );
  }
  if (authorizer === 'NONE') {
    if (!apiAuth['DefaultAuthorizer']) {
      throw invalidEvent(eventId, `Unable to set Authorizer on API method [${method}] for path [${path}] because 'NONE' is only a valid value when a DefaultAuthorizer on the API is specified.`);
    }
  } else if (!(authorizer === 'AWS_IAM' && iam)) {
    if (!apiAuthorizers) {
      throw invalidEvent(eventId, `Unable to set Authorizer [${String(authorizer)}] on API method [${method}] for path [${path}] because the related API does not define any Authorizers.`);
    }
    if (!(apiAuthorizers as JsonObject)[authorizer as string]) {
      throw invalidEvent(eventId, `Unable to set Authorizer [${String(authorizer)}] on API method [${method}] for path [${path}] because it wasn't defined in the API's Authorizers.`);
    }
  }
  const scopes = auth['AuthorizationScopes'];
  if (scopes && !Array.isArray(scopes)) {
    throw invalidEvent(eventId, `Unable to set Authorizer on API method [${method}] for path [${path}] because 'AuthorizationScopes' must be a list of strings.`);
  }
  const m = normalizeMethod(method);
  for (const item of conditionalContents((body['paths'] as JsonObject)[path])) {
    if (!isObject(item)) continue;
    for (const def of conditionalContents(item[m])) {
      if (!isObject(def) || !isObject(def[INTEGRATION])) continue;
      let value: Json = [];
      if (authorizer !== 'NONE' && authorizer !== 'AWS_IAM' && isObject(apiAuthorizers)) {
        const config = apiAuthorizers[authorizer as string];
        let methodScopes = isObject(config) ? config['AuthorizationScopes'] : undefined;
        if (Array.isArray(scopes) && scopes.length > 0) methodScopes = scopes;
        if (config && Array.isArray(methodScopes) && methodScopes.length > 0) value = methodScopes;
      }
      def['security'] = [...((def['security'] ?? []) as Json[]), { [authorizer as string]: value }];
    }
  }
}
