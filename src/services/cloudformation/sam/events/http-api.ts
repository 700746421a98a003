/**
 * HttpApi events: the permission for API Gateway to invoke the function, and the Lambda proxy
 * integration (payload format 2.0) on the route in the HTTP API's OpenAPI body.
 */
import { isObject, type Json, type JsonObject } from '../intrinsics.js';
import { samSet } from '../api/py27.js';
import { addLambdaIntegration, ANY_METHOD, conditionalContents, hasIntegration, INTEGRATION, normalizeMethod } from '../api/swagger.js';
import type { Emitted } from '../translation.js';
import { integrationUri } from './api.js';
import { applyHttpEventAuth } from '../api/http-auth.js';
import { checkProperties, eventError, permission, type EventInput } from './common.js';

const KNOWN = ['Path', 'Method', 'ApiId', 'Stage', 'Auth', 'TimeoutInMillis', 'RouteSettings', 'PayloadFormatVersion'];

export function translateHttpApiEvent(input: EventInput): Emitted {
  checkProperties(input, KNOWN, []);
  const p = input.properties;
  const rawId = p['ApiId'];
  const apiId = isObject(rawId) && 'Ref' in rawId ? rawId['Ref'] : rawId;
  const resource = typeof apiId === 'string' ? input.t.samResources[apiId] : undefined;
  const api = (isObject(resource) && isObject(resource['Properties']) ? resource['Properties'] : {}) as JsonObject;
  const path0 = String(p['Path']);
  const method = String(p['Method']).toLowerCase();
  const out: Emitted = [];

  const perm = permissionFor(input, api, path0, method);
  if (perm) out.push(perm);

  const body = api['DefinitionBody'];
  if (isObject(body)) {
    if (api['__MANAGE_SWAGGER'] && hasIntegration(body, path0, method)) {
      throw eventError(input, `API method '${method}' defined multiple times for path '${path0}'.`);
    }
    if (!hasIntegration(body, path0, method)) {
      addLambdaIntegration(body, path0, method, { uri: integrationUri(input, undefined, '${AWS::Partition}'), condition: input.target.condition, http: true });
    }
    if (isObject(p['Auth']) && Object.keys(p['Auth']).length > 0) applyHttpEventAuth(input.eventId, body, api, path0, method, p['Auth']);
    if (p['TimeoutInMillis']) setOnIntegrations(body, path0, method, (d) => samSet(d[INTEGRATION] as JsonObject, 'timeoutInMillis', p['TimeoutInMillis']!));
    const params = [...path0.matchAll(/{(.*?)}/g)].map((m) => m[1]!);
    if (params.length > 0) setOnIntegrations(body, path0, method, (d) => addPathParameters(d, params));
    if (p['PayloadFormatVersion']) {
      setOnIntegrations(body, path0, method, (d) => samSet(d[INTEGRATION] as JsonObject, 'payloadFormatVersion', p['PayloadFormatVersion']!));
    }
  }
  return out;
}

function permissionFor(input: EventInput, api: JsonObject, rawPath: string, method: string): ReturnType<typeof permission> | undefined {
  let path = rawPath.replace(/^(.+)\/$/, '$1');
  const body = api['DefinitionBody'];
  if (path === '$default') path = '';
  else if (isObject(body) && defaultRouteIsFunction(body, input.target.functionId)) return undefined;
  path = path.replace(/{([a-zA-Z0-9._-]+|proxy\+)}/g, '*');
  const verb = method === 'any' || method === ANY_METHOD ? '*' : method.toUpperCase();
  let resource = '${__ApiId__}/${__Stage__}';
  resource += method === 'any' && path === '/$default' ? path : `/${verb}${path}`;
  return permission(input, 'apigateway.amazonaws.com', {
    SourceArn: { 'Fn::Sub': [`arn:\${AWS::Partition}:execute-api:\${AWS::Region}:\${AWS::AccountId}:${resource}`, { __ApiId__: input.properties['ApiId']!, __Stage__: '*' }] },
  });
}

/** A "$default" catch-all route already invoking this function makes per-route permissions redundant. */
function defaultRouteIsFunction(body: JsonObject, functionId: string): boolean {
  if (!hasIntegration(body, '$default', ANY_METHOD)) return false;
  for (const item of conditionalContents((body['paths'] as JsonObject)['$default'])) {
    if (!isObject(item)) continue;
    for (const def of conditionalContents(item[ANY_METHOD])) {
      const integ = isObject(def) ? def[INTEGRATION] : undefined;
      const uri = isObject(integ) ? integ['uri'] : undefined;
      if (!isObject(uri)) return false;
      for (const content of conditionalContents(uri)) {
        const arn = isObject(content) ? content['Fn::Sub'] : undefined;
        // Only `${Fn.Arn}` counts: a function behind an alias is written `${FnAliaslive}` and never matches.
        const m = typeof arn === 'string' ? /([A-Za-z0-9]+)\.Arn/.exec(arn) : null;
        if (!m || m[1] !== functionId) return false;
      }
    }
  }
  return true;
}

function setOnIntegrations(body: JsonObject, path: string, method: string, apply: (def: JsonObject) => void): void {
  const m = normalizeMethod(method);
  for (const item of conditionalContents((body['paths'] as JsonObject)[path])) {
    if (!isObject(item)) continue;
    for (const def of conditionalContents(item[m])) if (isObject(def) && isObject(def[INTEGRATION])) apply(def);
  }
}

function addPathParameters(def: JsonObject, params: string[]): void {
  const existing = (Array.isArray(def['parameters']) ? def['parameters'] : []) as Json[];
  for (const name of params) {
    const found = existing.find((x) => isObject(x) && x['name'] === name) as JsonObject | undefined;
    if (found) {
      found['in'] = 'path';
      found['required'] = true;
    } else existing.push({ name, in: 'path', required: true });
  }
  def['parameters'] = existing;
}

