/**
 * The few edits SAM makes to a REST API's Swagger body: paths and methods for Api events, and the
 * Lambda proxy integration of each. Writes go through py27.ts so the Deployment hash can be rendered
 * exactly as samtranslator renders it.
 */
import { invalidTemplate } from '../errors.js';
import { isObject, type Json, type JsonObject } from '../intrinsics.js';
import { markPlain, samDict, samSet } from './py27.js';

export const ANY_METHOD = 'x-amazon-apigateway-any-method';
export const INTEGRATION = 'x-amazon-apigateway-integration';
const OPENAPI_3 = /^3\.\d\.\d$/;

export function swaggerSkeleton(): JsonObject {
  return definitionSkeleton('swagger', '2.0');
}

/** An empty definition as the SAM translator writes one: its version key, `info` titled by the stack's name, no paths. */
export function definitionSkeleton(versionKey: 'swagger' | 'openapi', version: string): JsonObject {
  const doc = samDict();
  samSet(doc, versionKey, version);
  const info = samDict();
  samSet(info, 'version', '1.0');
  const title = samDict(true);
  samSet(title, 'Ref', 'AWS::StackName');
  samSet(info, 'title', title);
  samSet(doc, 'info', info);
  samSet(doc, 'paths', samDict());
  return doc;
}

export function isSwagger(doc: Json | undefined): doc is JsonObject {
  if (!isObject(doc) || !isObject(doc['paths'])) return false;
  if (doc['swagger']) return true;
  return typeof doc['openapi'] === 'string' && OPENAPI_3.test(doc['openapi']);
}

export function normalizeMethod(method: string): string {
  const m = method.toLowerCase();
  return m === 'any' ? ANY_METHOD : m;
}

/** The path item, or both branches of an `Fn::If` around it (without AWS::NoValue). */
export function conditionalContents(item: Json | undefined): Json[] {
  if (isObject(item) && 'Fn::If' in item) {
    const params = item['Fn::If'];
    if (!Array.isArray(params)) throw invalidTemplate('Value of Fn::If must be a list.');
    return params.slice(1).filter((c) => !(isObject(c) && c['Ref'] === 'AWS::NoValue'));
  }
  return [item ?? null];
}

export function addPath(doc: JsonObject, path: string, method: string): void {
  const m = normalizeMethod(method);
  const paths = doc['paths'] as JsonObject;
  if (!(path in paths)) samSet(paths, path, samDict(), { plainKey: false });
  const pathDict = paths[path];
  if (!isObject(pathDict)) throw invalidTemplate(`Value of '${path}' path must be a dictionary according to Swagger spec.`);
  for (const item of conditionalContents(pathDict)) {
    if (isObject(item) && !(m in item)) samSet(item, m, samDict(), { plainKey: m === ANY_METHOD });
  }
}

export function hasIntegration(doc: JsonObject, path: string, method: string): boolean {
  const m = normalizeMethod(method);
  const paths = doc['paths'] as JsonObject;
  if (!(path in paths)) return false;
  for (const item of conditionalContents(paths[path])) {
    if (!isObject(item) || !(m in item)) return false;
    const def = item[m];
    const defs = conditionalContents(def);
    if (!defs.some((d) => isObject(d) && isObject(d[INTEGRATION]))) return false;
  }
  return true;
}

export interface Integration {
  uri: JsonObject;
  /** The function's Condition, wrapped around the method and the uri. */
  condition?: Json;
  /** `payloadFormatVersion: "2.0"` and `isDefaultRoute` as HTTP APIs want them. */
  http?: boolean;
}

/** Adds an aws_proxy integration to path/method (REST: once only; HTTP: kept if one is there). */
export function addLambdaIntegration(doc: JsonObject, path: string, method: string, integration: Integration): void {
  const m = normalizeMethod(method);
  addPath(doc, path, method);
  const uri = integration.condition !== undefined ? conditional(integration.condition, integration.uri) : integration.uri;
  for (const item of conditionalContents((doc['paths'] as JsonObject)[path])) {
    if (!isObject(item)) continue;
    if (item[m] === null) samSet(item, m, samDict(), { plainKey: m === ANY_METHOD });
    const methodDict = item[m] as JsonObject;
    const integ = samDict();
    samSet(integ, 'type', 'aws_proxy');
    samSet(integ, 'httpMethod', 'POST');
    if (integration.http) samSet(integ, 'payloadFormatVersion', '2.0');
    samSet(integ, 'uri', uri);
    samSet(methodDict, INTEGRATION, integ);
    if (integration.http && path === '$default' && m === ANY_METHOD) samSet(methodDict, 'isDefaultRoute', true);
    if (!('responses' in methodDict)) samSet(methodDict, 'responses', samDict());
    if (integration.condition !== undefined) samSet(item, m, conditional(integration.condition, methodDict), { plainKey: m === ANY_METHOD });
  }
}

/** `{"Fn::If": [condition, value, {"Ref": "AWS::NoValue"}]}` as samtranslator's make_conditional builds it. */
export function conditional(condition: Json, value: Json, samCondition = false): JsonObject {
  const noValue = samDict(true);
  samSet(noValue, 'Ref', 'AWS::NoValue');
  const out = samDict(true);
  const args: Json[] = [condition, value, noValue];
  // A condition the template names is its own text (u'...'); one SAM combines is SAM's ('...').
  if (samCondition) markPlain(args, [0]);
  samSet(out, 'Fn::If', args);
  return out;
}

export function makePathConditional(doc: JsonObject, path: string, condition: string, samCondition = false): void {
  const paths = doc['paths'] as JsonObject;
  samSet(paths, path, conditional(condition, paths[path]!, samCondition), { plainKey: false });
}
