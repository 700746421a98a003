/**
 * Auth on a REST API, the basics: Cognito and Lambda (TOKEN / REQUEST) authorizers as Swagger
 * securityDefinitions, a DefaultAuthorizer on every method, per-event Authorizer (or NONE) and
 * ApiKeyRequired, and the permission for API Gateway to call a Lambda authorizer. Markings follow
 * py27.ts so the Deployment hash stays samtranslator's.
 */
import { invalidEvent, invalidResource, SamCause } from '../errors.js';
import { isObject, ref, type Json, type JsonObject } from '../intrinsics.js';
import { cfn, type CfnResource, type PassThrough } from '../model.js';
import { iterationOrder, markPlain, py27Deepcopy, samDict, samSet } from './py27.js';
import { openApiPostprocess } from './openapi3.js';
import { conditionalContents, INTEGRATION, isSwagger, normalizeMethod } from './swagger.js';

const FIELDS = ['Authorizers', 'DefaultAuthorizer', 'InvokeRole', 'AddDefaultAuthorizerToCorsPreflight', 'AddApiKeyRequiredToCorsPreflight', 'ApiKeyRequired', 'ResourcePolicy', 'UsagePlan'];
// UsagePlan is expanded beside the stage (usage-plan.ts).
const UNSUPPORTED = ['InvokeRole', 'ResourcePolicy'];
const EXCLUDED = ['summary', 'description', 'parameters'];

type Authorizers = Map<string, JsonObject>;

/** Adds the API-level Auth to the body; returns the Lambda authorizer permissions to generate. */
export function applyApiAuth(
  id: string,
  body: Json | undefined,
  auth: JsonObject,
  attributes: PassThrough,
  partition: string,
  openApiVersion: Json | undefined,
): Array<[string, CfnResource]> {
  if (!body) throw invalidResource(id, "Auth works only with inline Swagger specified in 'DefinitionBody' property.");
  if (!Object.keys(auth).every((k) => FIELDS.includes(k))) throw invalidResource(id, "Invalid value for 'Auth' property");
  for (const k of UNSUPPORTED) if (auth[k] !== undefined) throw new SamCause(`Resource with id [${id}] uses Auth.${k}, which Selfless's SAM transform does not support yet.`);
  if (!isSwagger(body)) throw invalidResource(id, "Unable to add Auth configuration because 'DefinitionBody' does not contain a valid Swagger definition.");
  const defaultAuthorizer = auth['DefaultAuthorizer'];
  if (defaultAuthorizer === 'AWS_IAM') throw new SamCause(`Resource with id [${id}] uses the AWS_IAM authorizer, which Selfless's SAM transform does not support yet.`);
  py27Deepcopy(body);
  const authorizers = readAuthorizers(id, auth['Authorizers']);
  if (authorizers.size > 0) {
    const defs = securityDefinitions(body);
    for (const [name, config] of authorizers) samSet(defs, name, authorizerSwagger(id, name, config, partition), { plainKey: false });
    if (defaultAuthorizer) {
      if (typeof defaultAuthorizer !== 'string') throw invalidResource(id, 'DefaultAuthorizer is not a string.');
      if (!authorizers.has(defaultAuthorizer)) {
        throw invalidResource(id, `Unable to set DefaultAuthorizer because '${defaultAuthorizer}' was not defined in 'Authorizers'.`);
      }
      const preflight = auth['AddDefaultAuthorizerToCorsPreflight'] ?? true;
      for (const path of iterationOrder(body['paths'] as JsonObject)) setDefaultAuthorizer(body, path, defaultAuthorizer, authorizers, preflight !== false);
    }
  }
  if (auth['ApiKeyRequired']) {
    addApiKeyDefinition(body);
    const preflight = auth['AddApiKeyRequiredToCorsPreflight'] ?? true;
    for (const path of iterationOrder(body['paths'] as JsonObject)) setDefaultApiKey(body, path, preflight !== false);
  }
  py27Deepcopy(body);
  // samtranslator converts the body to OpenAPI 3 here too (so a CORS header is wrapped twice).
  openApiPostprocess(body, openApiVersion);

  const permissions: Array<[string, CfnResource]> = [];
  for (const [name, config] of authorizers) {
    if (!config['FunctionArn'] || config['DisableFunctionDefaultPermissions']) continue;
    permissions.push(authorizerPermission(id, name, config['FunctionArn'], partition, attributes));
  }
  return permissions;
}

/** API Gateway's permission to call a Lambda authorizer's function, named as the SAM translator names it. */
export function authorizerPermission(apiId: string, name: string, functionArn: Json, partition: string, attributes: PassThrough): [string, CfnResource] {
  return [
    `${apiId}${name}AuthorizerPermission`,
    cfn(
      'AWS::Lambda::Permission',
      {
        Action: 'lambda:InvokeFunction',
        FunctionName: functionArn,
        Principal: 'apigateway.amazonaws.com',
        SourceArn: { 'Fn::Sub': [`arn:${partition}:execute-api:\${AWS::Region}:\${AWS::AccountId}:\${__ApiId__}/authorizers/*`, { __ApiId__: ref(apiId) }] },
      },
      { ...attributes },
    ),
  ];
}

function readAuthorizers(id: string, value: Json | undefined): Authorizers {
  const out: Authorizers = new Map();
  if (!value) return out;
  if (!isObject(value)) throw invalidResource(id, "Property 'Auth.Authorizers' should be a map.");
  for (const [name, config] of Object.entries(value)) {
    if (!isObject(config)) throw invalidResource(id, `Property 'Auth.Authorizers.${name}' should be a map.`);
    const payload = config['FunctionPayloadType'];
    if (payload !== undefined && payload !== null && payload !== 'TOKEN' && payload !== 'REQUEST') {
      throw invalidResource(id, `${name} Authorizer has invalid 'FunctionPayloadType': ${String(payload)}.`);
    }
    const identity = config['Identity'];
    if (payload === 'REQUEST' && !(isObject(identity) && (identity['Headers'] || identity['QueryStrings'] || identity['StageVariables'] || identity['Context']))) {
      throw invalidResource(id, `${name} Authorizer must specify Identity with at least one of Headers, QueryStrings, StageVariables, or Context.`);
    }
    if (config['FunctionInvokeRole'] !== undefined) throw new SamCause(`Resource with id [${id}] uses FunctionInvokeRole, which Selfless's SAM transform does not support yet.`);
    out.set(name, config);
  }
  return out;
}

function securityDefinitions(body: JsonObject): JsonObject {
  if (isObject(body['securityDefinitions']) && Object.keys(body['securityDefinitions']).length > 0) return body['securityDefinitions'];
  const defs = samDict();
  samSet(body, 'securityDefinitions', defs);
  return defs;
}

function authorizerSwagger(id: string, name: string, config: JsonObject, partition: string): JsonObject {
  const identity = config['Identity'];
  if (identity !== undefined && identity !== null && !isObject(identity)) {
    throw invalidResource(
      id,
      'Auth.Authorizers.<Authorizer>.Identity must be a dict (LambdaTokenAuthorizationIdentity, LambdaRequestAuthorizationIdentity or CognitoAuthorizationIdentity).',
    );
  }
  const cognito = Boolean(config['UserPoolArn']);
  const payload = config['FunctionPayloadType'] || 'TOKEN';
  const out = samDict();
  samSet(out, 'type', 'apiKey');
  if (!cognito && payload === 'REQUEST') samSet(out, 'name', 'Unused');
  else if (isObject(identity) && identity['Header']) samSet(out, 'name', identity['Header'], { plainValue: false });
  else samSet(out, 'name', 'Authorization');
  samSet(out, 'in', 'header');
  samSet(out, 'x-amazon-apigateway-authtype', cognito ? 'cognito_user_pools' : 'custom');
  const authorizer = samDict();
  if (cognito) {
    samSet(authorizer, 'type', 'cognito_user_pools');
    samSet(authorizer, 'providerARNs', Array.isArray(config['UserPoolArn']) ? config['UserPoolArn'] : [config['UserPoolArn']!]);
  } else {
    samSet(authorizer, 'type', payload === 'REQUEST' ? 'request' : 'token');
    const vars = samDict(true);
    samSet(vars, '__FunctionArn__', config['FunctionArn'] ?? null, { plainValue: false });
    const args: Json[] = [`arn:${partition}:apigateway:\${AWS::Region}:lambda:path/2015-03-31/functions/\${__FunctionArn__}/invocations`, vars];
    markPlain(args, [0]);
    const uri = samDict(true);
    samSet(uri, 'Fn::Sub', args);
    samSet(authorizer, 'authorizerUri', uri);
    if (isObject(identity) && identity['ReauthorizeEvery'] !== undefined && identity['ReauthorizeEvery'] !== null) {
      samSet(authorizer, 'authorizerResultTtlInSeconds', identity['ReauthorizeEvery']!, { plainValue: false });
    }
    if (payload === 'REQUEST') {
      const source = identitySource(identity as JsonObject);
      if (source) samSet(authorizer, 'identitySource', source, { plainValue: false });
    }
  }
  samSet(out, 'x-amazon-apigateway-authorizer', authorizer);
  if ((cognito || payload === 'TOKEN') && isObject(identity) && identity['ValidationExpression']) {
    samSet(authorizer, 'identityValidationExpression', identity['ValidationExpression'], { plainValue: false });
  }
  return out;
}

function identitySource(identity: JsonObject): string {
  const parts: string[] = [];
  for (const [key, prefix] of [['Headers', 'method.request.header.'], ['QueryStrings', 'method.request.querystring.'], ['StageVariables', 'stageVariables.'], ['Context', 'context.']] as const) {
    const list = identity[key];
    if (Array.isArray(list)) for (const v of list) parts.push(prefix + String(v));
  }
  return parts.join(', ');
}

/** Methods with an integration on this path, in iteration order (as samtranslator walks them). */
function methodsWithIntegration(body: JsonObject, path: string): Array<[string, JsonObject]> {
  const out: Array<[string, JsonObject]> = [];
  for (const item of conditionalContents((body['paths'] as JsonObject)[path])) {
    if (!isObject(item)) continue;
    for (const name of iterationOrder(item)) {
      if (EXCLUDED.includes(name)) continue;
      for (const def of conditionalContents(item[name])) {
        if (isObject(def) && isObject(def[INTEGRATION])) out.push([normalizeMethod(name), def]);
      }
    }
  }
  return out;
}

function securityEntry(name: string, value: Json, plainName: boolean): JsonObject {
  const d = samDict();
  samSet(d, name, value, { plainKey: plainName });
  return d;
}

function setDefaultAuthorizer(body: JsonObject, path: string, name: string, authorizers: Authorizers, preflight: boolean): void {
  for (const [method, def] of methodsWithIntegration(body, path)) {
    if (!preflight && method === 'options') continue;
    const names = new Set(['AWS_IAM', ...authorizers.keys()]);
    const existing = (def['security'] ?? []) as Json[];
    const other: Json[] = [];
    const authorizerSecurity: Json[] = [];
    for (const s of existing) {
      if (!isObject(s)) throw invalidTemplateError(`${String(s)} in Security for path ${path} method ${method} is not a valid dictionary.`);
      (Object.keys(s).some((k) => names.has(k)) ? authorizerSecurity : other).push(s);
    }
    const noneIdx = other.findIndex((s) => isObject(s) && 'NONE' in s);
    let chosen: Json[] = [];
    if (noneIdx > -1) other.splice(noneIdx, 1);
    else if (authorizerSecurity.length > 0) chosen = authorizerSecurity;
    else {
      const scopes = authorizers.get(name)?.['AuthorizationScopes'];
      chosen = [securityEntry(name, Array.isArray(scopes) ? scopes : [], false)];
    }
    const security = [...other, ...chosen];
    if (security.length > 0) samSet(def, 'security', security);
  }
}

function setDefaultApiKey(body: JsonObject, path: string, preflight: boolean): void {
  for (const [method, def] of methodsWithIntegration(body, path)) {
    const existing = (def['security'] ?? []) as Json[];
    const other: Json[] = [];
    const apiKey: Json[] = [];
    for (const s of existing) (isObject(s) && ('api_key' in s || 'api_key_false' in s) ? apiKey : other).push(s);
    const falseIdx = apiKey.findIndex((s) => isObject(s) && 'api_key_false' in s);
    let added: Json[] = [];
    if (falseIdx > -1) apiKey.splice(falseIdx, 1);
    else added = [securityEntry('api_key', [], true)];
    let security = [...other, ...added];
    if (method === 'options' && !preflight) security = other;
    if (JSON.stringify(security) !== JSON.stringify(existing)) samSet(def, 'security', security);
  }
}

function addApiKeyDefinition(body: JsonObject): void {
  const defs = securityDefinitions(body);
  if ('api_key' in defs) return;
  const key = samDict();
  samSet(key, 'type', 'apiKey');
  samSet(key, 'name', 'x-api-key');
  samSet(key, 'in', 'header');
  samSet(defs, 'api_key', key);
}

function invalidTemplateError(message: string): SamCause {
  return new SamCause(`Structure of the SAM template is invalid. ${message}`);
}

/** An Api event's own Auth: checked against the API's, then written on its method. */
export function applyEventAuth(eventId: string, body: JsonObject, api: JsonObject, path: string, method: string, auth: Json): void {
  if (!isObject(auth)) throw invalidEvent(eventId, "Property 'Auth' should be a map.");
  const apiAuth = isObject(api['Auth']) ? api['Auth'] : undefined;
  const authorizer = auth['Authorizer'];
  const apiAuthorizers = apiAuth?.['Authorizers'];
  for (const k of ['ResourcePolicy', 'InvokeRole', 'AuthorizationScopes']) {
    if (auth[k] !== undefined) throw new SamCause(`Event with id [${eventId}] uses Auth.${k}, which Selfless's SAM transform does not support yet.`);
  }
  if (authorizer === 'AWS_IAM') throw new SamCause(`Event with id [${eventId}] uses the AWS_IAM authorizer, which Selfless's SAM transform does not support yet.`);
  if (authorizer) {
    if (authorizer !== 'NONE') {
      if (!apiAuthorizers) {
        throw invalidEvent(eventId, `Unable to set Authorizer [${String(authorizer)}] on API method [${method}] for path [${path}] because the related API does not define any Authorizers.`);
      }
      if (typeof authorizer !== 'string' || !isObject(apiAuthorizers)) {
        throw invalidEvent(
          eventId,
          `Unable to set Authorizer [${String(authorizer)}] on API method [${method}] for path [${path}]. The method authorizer must be a string with a corresponding dict entry in the api authorizer.`,
        );
      }
      if (!apiAuthorizers[authorizer]) {
        throw invalidEvent(eventId, `Unable to set Authorizer [${authorizer}] on API method [${method}] for path [${path}] because it wasn't defined in the API's Authorizers.`);
      }
    } else if (!apiAuth || !apiAuth['DefaultAuthorizer']) {
      throw invalidEvent(
        eventId,
        `Unable to set Authorizer on API method [${method}] for path [${path}] because 'NONE' is only a valid value when a DefaultAuthorizer on the API is specified.`,
      );
    }
  }
  const apiKey = auth['ApiKeyRequired'];
  if (apiKey !== undefined && apiKey !== null && !apiKey && (!apiAuth || !apiAuth['ApiKeyRequired'])) {
    throw invalidEvent(eventId, `Unable to set ApiKeyRequired [False] on API method [${method}] for path [${path}] because the related API does not specify any ApiKeyRequired.`);
  }
  const defs = methodsWithIntegration(body, path).filter(([m]) => m === normalizeMethod(method)).map(([, d]) => d);
  if (authorizer) {
    for (const def of defs) {
      let scopes: Json = [];
      if (authorizer !== 'NONE' && isObject(apiAuthorizers)) {
        const config = apiAuthorizers[authorizer as string];
        if (isObject(config) && config['AuthorizationScopes'] !== undefined) scopes = config['AuthorizationScopes']!;
      }
      samSet(def, 'security', [...((def['security'] ?? []) as Json[]), securityEntry(String(authorizer), scopes, false)]);
    }
  }
  if (apiKey !== undefined && apiKey !== null) {
    for (const def of defs) {
      if (apiKey) addApiKeyDefinition(body);
      samSet(def, 'security', [...((def['security'] ?? []) as Json[]), securityEntry(apiKey ? 'api_key' : 'api_key_false', [], true)]);
    }
  }
}
