/**
 * What samtranslator does to APIs before translating anything: an API without a definition gets a
 * skeleton SAM manages (`__MANAGE_SWAGGER`); Api / HttpApi events without an API id go to an implicit
 * `ServerlessRestApi` / `ServerlessHttpApi`, created here and dropped again if no event uses it; each
 * event's path and method are added to the definition of the API it names.
 */
import { invalidResource, SamCause } from '../errors.js';
import { isObject, type Json, type JsonObject } from '../intrinsics.js';
import { py27Deepcopy, py27KeyOrder } from './py27.js';
import { addPath, definitionSkeleton, isSwagger, makePathConditional, swaggerSkeleton } from './swagger.js';

const OPENAPI_3 = /^3\.\d\.\d$/;
const isOpenApi = (doc: Json | undefined): boolean =>
  isObject(doc) && isObject(doc['paths']) && typeof doc['openapi'] === 'string' && OPENAPI_3.test(doc['openapi']);

export function openApiSkeleton(): JsonObject {
  return definitionSkeleton('openapi', '3.0.1');
}

export function addDefaultDefinitionBodies(resources: Record<string, JsonObject>): void {
  for (const type of ['AWS::Serverless::Api', 'AWS::Serverless::HttpApi']) {
    for (const r of Object.values(resources)) {
      if (r['Type'] !== type) continue;
      const props = (isObject(r['Properties']) ? r['Properties'] : (r['Properties'] = {})) as JsonObject;
      if (props['DefinitionBody'] || props['DefinitionUri']) continue;
      props['DefinitionBody'] = type === 'AWS::Serverless::Api' ? swaggerSkeleton() : openApiSkeleton();
      props['__MANAGE_SWAGGER'] = true;
    }
  }
}

interface Kind {
  eventType: 'Api' | 'HttpApi';
  idProperty: 'RestApiId' | 'ApiId';
  implicitId: string;
  combinedCondition: string;
  apiType: string;
  skeleton(): JsonObject;
  valid(doc: Json | undefined): boolean;
}

const REST: Kind = {
  eventType: 'Api', idProperty: 'RestApiId', implicitId: 'ServerlessRestApi', combinedCondition: 'ServerlessRestApiCondition',
  apiType: 'AWS::Serverless::Api', skeleton: swaggerSkeleton, valid: isSwagger,
};
const HTTP: Kind = {
  eventType: 'HttpApi', idProperty: 'ApiId', implicitId: 'ServerlessHttpApi', combinedCondition: 'ServerlessHttpApiCondition',
  apiType: 'AWS::Serverless::HttpApi', skeleton: openApiSkeleton, valid: isOpenApi,
};

export function addImplicitApis(sam: JsonObject, globals: Record<string, JsonObject>): void {
  const py27 = usesPy27Order(sam);
  addImplicitApi(sam, REST, globals, py27);
  addImplicitApi(sam, HTTP, globals, py27);
}

/**
 * samtranslator walks the Resources and each function's Events of a template with a REST API in
 * Python 2.7 dict order: that order decides the order paths enter the Swagger body, which the
 * Deployment hash covers.
 */
export function usesPy27Order(sam: JsonObject): boolean {
  const resources = isObject(sam['Resources']) ? sam['Resources'] : {};
  for (const r of Object.values(resources)) {
    if (!isObject(r)) continue;
    if (r['Type'] === 'AWS::Serverless::Api') return true;
    if (r['Type'] !== 'AWS::Serverless::Function' || !isObject(r['Properties'])) continue;
    const events = r['Properties']['Events'];
    if (isObject(events) && Object.values(events).some((e) => isObject(e) && e['Type'] === 'Api')) return true;
  }
  return hasHttpApiDefaultAuthorizer(sam);
}

function hasHttpApiDefaultAuthorizer(sam: JsonObject): boolean {
  const g = isObject(sam['Globals']) && isObject(sam['Globals']['HttpApi']) ? sam['Globals']['HttpApi'] : undefined;
  const globalAuth = Boolean(g && isObject(g['Auth']) && g['Auth']['DefaultAuthorizer']);
  const resources = Object.values(isObject(sam['Resources']) ? sam['Resources'] : {}).filter(isObject);
  for (const r of resources) {
    if (r['Type'] !== 'AWS::Serverless::HttpApi') continue;
    const auth = isObject(r['Properties']) ? r['Properties']['Auth'] : undefined;
    if ((isObject(auth) && auth['DefaultAuthorizer']) || globalAuth) return true;
  }
  if (!globalAuth) return false;
  return resources.some((r) => {
    const events = r['Type'] === 'AWS::Serverless::Function' && isObject(r['Properties']) ? r['Properties']['Events'] : undefined;
    return isObject(events) && Object.values(events).some((e) => isObject(e) && e['Type'] === 'HttpApi');
  });
}

/** Entries of an object in insertion order, or in Python 2.7 dict order. */
export function entriesInOrder<T>(obj: Record<string, T>, py27: boolean): Array<[string, T]> {
  const keys = py27 ? py27KeyOrder(Object.keys(obj)) : Object.keys(obj);
  return keys.map((k) => [k, obj[k]!]);
}

function addImplicitApi(sam: JsonObject, kind: Kind, globals: Record<string, JsonObject>, py27: boolean): void {
  const resources = sam['Resources'] as Record<string, JsonObject>;
  const existing = resources[kind.implicitId] ? structuredClone(resources[kind.implicitId]) : undefined;
  const implicitProps: JsonObject = kind.eventType === 'Api' ? { StageName: 'Prod' } : {};
  implicitProps['DefinitionBody'] = kind.skeleton();
  implicitProps['__MANAGE_SWAGGER'] = true;
  resources[kind.implicitId] = { Type: kind.apiType, Properties: implicitProps };

  /** api id → path → method → the function's Condition (null when it has none). */
  const conditions = new Map<string, Map<string, Map<string, Json>>>();
  const deletionPolicies: Json[] = [];
  const replacePolicies: Json[] = [];
  const errors: string[] = [];
  for (const [functionId, fn] of entriesInOrder(resources, py27)) {
    if (fn['Type'] !== 'AWS::Serverless::Function' || !isObject(fn['Properties']) || !isObject(fn['Properties']['Events'])) continue;
    for (const [eventId, event] of entriesInOrder(fn['Properties']['Events'], py27)) {
      if (!isObject(event) || event['Type'] !== kind.eventType) continue;
      try {
        let props = event['Properties'];
        if (kind.eventType === 'Api' && !props) continue;
        if (props === undefined || props === null) props = event['Properties'] = {};
        if (!isObject(props)) throw new SamCause(`Event with id [${eventId}] is invalid. Properties should be a map.`);
        addTagsToImplicitApi(kind, props, fn, resources, globals);
        if (!(kind.idProperty in props)) props[kind.idProperty] = { Ref: kind.implicitId };
        if (kind.eventType === 'HttpApi' && !props['Path'] && !props['Method']) {
          props['Path'] = '$default';
          props['Method'] = 'x-amazon-apigateway-any-method';
        }
        const rawId = props[kind.idProperty];
        const apiId = isObject(rawId) && 'Ref' in rawId ? rawId['Ref'] : rawId;
        for (const name of ['Path', 'Method']) {
          if (props[name] === undefined || props[name] === null) throw new SamCause(`Event with id [${eventId}] is invalid. Property '${name}' is required.`);
        }
        if (typeof apiId !== 'string') throw new SamCause(`Event with id [${eventId}] is invalid. Property '${kind.idProperty}' should be a string.`);
        for (const name of ['Path', 'Method']) {
          if (typeof props[name] !== 'string') throw new SamCause(`Event with id [${eventId}] is invalid. Property '${name}' should be a string.`);
        }
        const path = props['Path'] as string;
        const method = props['Method'] as string;
        const byPath = conditions.get(apiId) ?? new Map<string, Map<string, Json>>();
        conditions.set(apiId, byPath);
        const byMethod = byPath.get(path) ?? new Map<string, Json>();
        byPath.set(path, byMethod);
        byMethod.set(method, fn['Condition'] ?? null);
        deletionPolicies.push(fn['DeletionPolicy'] ?? null);
        replacePolicies.push(fn['UpdateReplacePolicy'] ?? null);

        const api = resources[apiId];
        if (!isObject(api) || (api['Type'] === 'AWS::Serverless::HttpApi' && kind.apiType !== 'AWS::Serverless::HttpApi')) {
          throw new SamCause(
            `Event with id [${eventId}] is invalid. ${kind.idProperty} must be a valid reference to an '${kind.apiType}' resource in same template.`,
          );
        }
        const apiProps = api['Properties'];
        if (isObject(apiProps) && kind.valid(apiProps['DefinitionBody']) && apiProps['__MANAGE_SWAGGER']) {
          // A SwaggerEditor copies the body when it starts and when it hands the body back.
          py27Deepcopy(apiProps['DefinitionBody']!);
          addPath(apiProps['DefinitionBody'] as JsonObject, path, method);
          py27Deepcopy(apiProps['DefinitionBody']!);
        }
        if (kind.eventType === 'HttpApi' && 'RouteSettings' in props && isObject(apiProps)) {
          const route = method === 'x-amazon-apigateway-any-method' ? path : `${method.toUpperCase()} ${path}`;
          const settings = (apiProps['RouteSettings'] ??= {}) as JsonObject;
          let eventSettings = props['RouteSettings'] ?? {};
          if (fn['Condition']) eventSettings = { 'Fn::If': [fn['Condition'], eventSettings, { Ref: 'AWS::NoValue' }] };
          settings[route] = { ...((settings[route] as JsonObject | undefined) ?? {}), ...(eventSettings as JsonObject) };
        }
      } catch (e) {
        if (!(e instanceof SamCause)) throw e;
        errors.push(invalidResource(functionId, e.message).message);
      }
    }
  }

  const implicit = resources[kind.implicitId]!;
  const implicitConditions = conditions.get(kind.implicitId);
  if (implicitConditions) {
    const all = new Set([...implicitConditions.values()].flatMap((m) => [...m.values()]));
    if (all.size > 0 && !all.has(null)) {
      if (all.size === 1) implicit['Condition'] = [...all][0]!;
      else {
        implicit['Condition'] = kind.combinedCondition;
        addCombinedCondition(sam, kind.combinedCondition, [...all] as string[]);
      }
    }
    const pick = (policies: Json[], order: string[]): string | undefined => order.find((p) => policies.includes(p));
    const deletion = pick(deletionPolicies, ['Retain', 'Delete']);
    if (deletion) implicit['DeletionPolicy'] = deletion;
    const replace = pick(replacePolicies, ['Retain', 'Snapshot', 'Delete']);
    if (replace) implicit['UpdateReplacePolicy'] = replace;
  }
  for (const [apiId, api] of Object.entries(resources)) {
    if (api['Type'] !== kind.apiType || !isObject(api['Properties']) || !api['Properties']['__MANAGE_SWAGGER']) continue;
    const doc = api['Properties']['DefinitionBody'] as JsonObject;
    py27Deepcopy(doc);
    for (const path of Object.keys(doc['paths'] as JsonObject)) {
      const methods = [...(conditions.get(apiId)?.get(path)?.values() ?? [])];
      const set = new Set(methods);
      if (set.size === 0 || set.has(null)) continue;
      if (set.size === 1) makePathConditional(doc, path, String([...set][0]));
      else {
        const name = `${apiId}${path.replace(/\//g, 'SLASH').replace(/{/g, 'OB').replace(/}/g, 'CB')}PathCondition`;
        addCombinedCondition(sam, name, [...set] as string[]);
        makePathConditional(doc, path, name, true);
      }
    }
    py27Deepcopy(doc);
  }
  const body = (implicit['Properties'] as JsonObject)['DefinitionBody'] as JsonObject;
  if (Object.keys(body['paths'] as JsonObject).length === 0) {
    if (existing) resources[kind.implicitId] = existing;
    else delete resources[kind.implicitId];
  }
  if (errors.length > 0) throw new SamCauses(errors);
}

/** Several causes at once (the implicit API plugins report every bad event together). */
export class SamCauses extends SamCause {
  constructor(readonly causes: string[]) {
    super(causes.join(' '));
  }
}

function addCombinedCondition(sam: JsonObject, name: string, conditions: string[]): void {
  const all = (isObject(sam['Conditions']) ? sam['Conditions'] : (sam['Conditions'] = {})) as JsonObject;
  all[name] = { 'Fn::Or': [...conditions].sort().map((c) => ({ Condition: c })) };
}

function addTagsToImplicitApi(kind: Kind, props: JsonObject, fn: JsonObject, resources: Record<string, JsonObject>, globals: Record<string, JsonObject>): void {
  if (kind.idProperty in props) return;
  const implicit = resources[kind.implicitId];
  const fnProps = fn['Properties'] as JsonObject;
  const g = globals['Function'] ?? {};
  const propagate = fnProps['PropagateTags'] || g['PropagateTags'];
  const tags = fnProps['Tags'] || g['Tags'];
  if (implicit && tags && propagate && isObject(implicit['Properties'])) {
    const p = implicit['Properties'];
    p['Tags'] = { ...((p['Tags'] as JsonObject | undefined) ?? {}), ...(tags as JsonObject) };
    p['PropagateTags'] = true;
  }
}
