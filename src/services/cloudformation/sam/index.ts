/**
 * The AWS::Serverless-2016-10-31 transform: a SAM template in, a plain CloudFormation template out,
 * matching what AWS's own translator (samtranslator) produces, for the resource types Selfless runs.
 * Pure: no I/O, the template's intrinsics stay unresolved except the parameter references SAM itself
 * resolves (an alias name, the code location a version hash covers).
 *
 * `Transform: [AWS::LanguageExtensions, AWS::Serverless-2016-10-31]`: transforms run in the order
 * listed, so the engine must first apply AWS::LanguageExtensions (Fn::ForEach, Fn::Length,
 * Fn::ToJsonString, DeletionPolicy/UpdateReplacePolicy given by intrinsics, Fn::FindInMap defaults)
 * and pass the result here; this module neither expands nor rejects those constructs.
 */
import { SamCause, SamTransformError, invalidTemplate } from './errors.js';
import { DeploymentPreferences } from './deployment-preference.js';
import { translateFunction } from './function/function.js';
import { expandPolicyTemplates } from './function/policies.js';
import { mergeGlobals, parseGlobals } from './globals.js';
import { clone, isObject, resolveParameterRefs, type Json, type JsonObject } from './intrinsics.js';
import { py27Str } from './api/py27.js';
import { toJson, type CfnResource, type SamContext, type SamResource } from './model.js';
import { resolveDerivedReferences } from './references.js';
import type { Emitted, Translation } from './translation.js';
import { addDefaultDefinitionBodies, addImplicitApis, entriesInOrder, SamCauses, usesPy27Order } from './api/implicit.js';
import { translateRestApi } from './api/rest-api.js';
import { applyOpenApiVersions } from './api/openapi3.js';
import { translateHttpApi } from './api/http-api.js';
import { translateSimpleTable } from './simple-table.js';
import { translateLayerVersion } from './layer-version.js';
import { translateCapacityProvider } from './capacity-provider.js';

export { SamTransformError } from './errors.js';
export type { SamContext } from './model.js';
export { loadCfnYaml } from '../template/yaml.js';

export const SAM_TRANSFORM = 'AWS::Serverless-2016-10-31';

type Translator = (sam: SamResource, t: Translation) => Emitted;
/** In samtranslator's order: functions add routes to APIs, so APIs come after them. */
const TRANSLATORS: Array<[string, Translator]> = [
  ['AWS::Serverless::Function', translateFunction],
  ['AWS::Serverless::Api', translateRestApi],
  ['AWS::Serverless::HttpApi', translateHttpApi],
  ['AWS::Serverless::SimpleTable', translateSimpleTable],
  ['AWS::Serverless::LayerVersion', translateLayerVersion],
  ['AWS::Serverless::CapacityProvider', translateCapacityProvider],
];
const UNSUPPORTED_TYPES = new Set([
  'AWS::Serverless::StateMachine', 'AWS::Serverless::Application', 'AWS::Serverless::Connector', 'AWS::Serverless::GraphQLApi',
  'AWS::Serverless::WebSocketApi',
]);

/** Generated types that may take the logical id of a resource of the type listed (as samtranslator allows). */
const MAY_REPLACE: Record<string, readonly string[]> = {
  'AWS::ApiGateway::RestApi': ['AWS::Serverless::Api'],
  'AWS::ApiGatewayV2::Api': ['AWS::Serverless::HttpApi'],
  'AWS::S3::Bucket': ['AWS::S3::Bucket'],
  'AWS::SNS::Topic': ['AWS::SNS::Topic'],
  'AWS::DynamoDB::Table': ['AWS::Serverless::SimpleTable'],
  'AWS::Lambda::Function': ['AWS::Serverless::Function'],
  'AWS::Lambda::LayerVersion': ['AWS::Serverless::LayerVersion'],
  'AWS::Lambda::CapacityProvider': ['AWS::Serverless::CapacityProvider'],
};

export function expandServerless(template: Record<string, unknown>, ctx: SamContext): Record<string, unknown> {
  try {
    return expand(clone(template) as JsonObject, ctx);
  } catch (e) {
    if (e instanceof SamTransformError) throw e;
    if (e instanceof SamCauses) throw new SamTransformError(e.causes);
    if (e instanceof SamCause) throw new SamTransformError([e.message]);
    throw e;
  }
}

function expand(sam: JsonObject, ctx: SamContext): JsonObject {
  const resources = sam['Resources'];
  if (!isObject(resources) || Object.keys(resources).length === 0) throw invalidTemplate("'Resources' section is required");
  if (!Object.values(resources).every(isObject)) {
    throw invalidTemplate("All 'Resources' must be Objects. If you're using YAML, this may be an indentation issue.");
  }
  for (const [id, r] of Object.entries(resources as Record<string, JsonObject>)) {
    if (isSamType(r['Type']) && 'Properties' in r && !isObject(r['Properties'])) {
      throw new SamCause(`Resource with id [${id}] is invalid. Attribute 'Properties' should be a map.`);
    }
  }
  const params = parameterValues(sam, ctx);

  // The plugins samtranslator runs before translating, in its order.
  addDefaultDefinitionBodies(resources as Record<string, JsonObject>);
  const globals = parseGlobals(sam['Globals']);
  const py27 = usesPy27Order(sam);
  addImplicitApis(sam, globals);
  for (const [id, r] of Object.entries(resources as Record<string, JsonObject>)) {
    const type = r['Type'];
    if (typeof type !== 'string' || !type.startsWith('AWS::Serverless::')) continue;
    const section = globals[type.slice('AWS::Serverless::'.length)];
    if (section) r['Properties'] = mergeGlobals(id, section, isObject(r['Properties']) ? r['Properties'] : {}, r['IgnoreGlobals']);
  }
  delete sam['Globals'];
  applyOpenApiVersions(resources as Record<string, JsonObject>);

  const out = clone(sam);
  const outResources = out['Resources'] as JsonObject;
  const conditions = (isObject(out['Conditions']) ? out['Conditions'] : {}) as JsonObject;
  const t: Translation = {
    ctx,
    params,
    samResources: resources as JsonObject,
    mappings: isObject(sam['Mappings']) ? sam['Mappings'] : {},
    conditions,
    deployments: new DeploymentPreferences(ctx.partition),
    references: new Map(),
    renamed: new Map(),
    functionNamesByApi: new Map(),
    sharedUsagePlan: { apis: [], stages: [] },
  };

  const errors: string[] = [];
  for (const [type, translate] of TRANSLATORS) {
    for (const [id, r] of entriesInOrder(resources as Record<string, JsonObject>, py27)) {
      if (r['Type'] !== type) continue;
      try {
        if (type === 'AWS::Serverless::Function' && isObject(r['Properties'])) {
          recordFunctionNames(r['Properties'], t);
          const policies = expandPolicyTemplates(id, r['Properties']['Policies']);
          if (policies !== undefined) r['Properties']['Policies'] = policies;
        }
        const generated = translate({ logicalId: id, type, properties: isObject(r['Properties']) ? r['Properties'] : {}, raw: r }, t);
        recordReferences(id, type, generated, t);
        delete outResources[id];
        for (const [gid, resource] of generated) {
          if (!mayTakeId(gid, resource, resources as JsonObject)) {
            errors.push(
              `Transforming resource with id [${id}] attempts to create a new resource with id [${gid}] and type "${resource.Type}". A resource with that id already exists within this template. Please use a different id for that resource.`,
            );
            continue;
          }
          outResources[gid] = toJson(resource);
        }
      } catch (e) {
        if (!(e instanceof SamCause)) throw e;
        errors.push(e.message);
      }
    }
  }
  for (const [id, r] of Object.entries(resources as Record<string, JsonObject>)) {
    if ('Connectors' in r) errors.push(`Resource with id [${id}] uses Connectors, which Selfless's SAM transform does not support yet.`);
    if (typeof r['Type'] === 'string' && UNSUPPORTED_TYPES.has(r['Type'])) {
      errors.push(`Resource with id [${id}] is of type ${r['Type']}, which Selfless's SAM transform does not support yet.`);
    }
  }

  for (const [gid, resource] of t.deployments.resources(conditions)) outResources[gid] = toJson(resource as CfnResource);
  if (Object.keys(conditions).length > 0) out['Conditions'] = conditions;
  delete out['Transform'];
  if (errors.length > 0) throw new SamTransformError([...new Set(errors)]);
  return resolveDerivedReferences(out, t.references, t.renamed) as JsonObject;
}

/** `!Ref Fn.Alias`, `!Ref Api.Stage`...: which generated type each property of a SAM type names. */
const REFERABLE: Record<string, Record<string, string>> = {
  'AWS::Serverless::Function': {
    Alias: 'AWS::Lambda::Alias', Version: 'AWS::Lambda::Version', DestinationTopic: 'AWS::SNS::Topic', DestinationQueue: 'AWS::SQS::Queue',
  },
  'AWS::Serverless::Api': {
    Stage: 'AWS::ApiGateway::Stage', Deployment: 'AWS::ApiGateway::Deployment', DomainName: 'AWS::ApiGateway::DomainName',
    UsagePlan: 'AWS::ApiGateway::UsagePlan', UsagePlanKey: 'AWS::ApiGateway::UsagePlanKey', ApiKey: 'AWS::ApiGateway::ApiKey',
  },
  'AWS::Serverless::HttpApi': { Stage: 'AWS::ApiGatewayV2::Stage', DomainName: 'AWS::ApiGatewayV2::DomainName' },
};

/** Like samtranslator, the last generated resource of the type wins. */
function recordReferences(id: string, type: string, generated: Emitted, t: Translation): void {
  const props = REFERABLE[type];
  if (!props) return;
  const lastByType = new Map(generated.map(([gid, r]) => [r.Type, gid] as const));
  const refs = new Map<string, string>();
  for (const [prop, cfnType] of Object.entries(props)) {
    const gid = lastByType.get(cfnType);
    if (gid) refs.set(prop, gid);
  }
  if (refs.size > 0) t.references.set(id, refs);
}

/** FunctionName of functions with Api events, per REST API: they take part in its Deployment hash. */
function recordFunctionNames(p: JsonObject, t: Translation): void {
  if (!isObject(p['Events'])) return;
  for (const event of Object.values(p['Events'])) {
    if (!isObject(event) || event['Type'] !== 'Api' || !isObject(event['Properties'])) continue;
    const raw = event['Properties']['RestApiId'];
    if (!raw) continue;
    const apiId = isObject(raw) && 'Ref' in raw ? raw['Ref'] : raw;
    if (typeof apiId !== 'string') continue;
    const name = resolveParameterRefs(p['FunctionName'], t.params);
    if (name === undefined || name === null || name === '' || name === false || name === 0) continue;
    const names = t.functionNamesByApi.get(apiId) ?? [];
    names.push(typeof name === 'string' ? name : typeof name === 'object' ? py27Str(name) : String(name));
    t.functionNamesByApi.set(apiId, names);
  }
}

function isSamType(type: Json | undefined): boolean {
  return typeof type === 'string' && type.startsWith('AWS::Serverless::');
}

function mayTakeId(id: string, resource: CfnResource, samResources: JsonObject): boolean {
  const existing = samResources[id];
  if (!isObject(existing)) return true;
  return (MAY_REPLACE[resource.Type] ?? []).includes(String(existing['Type']));
}

/** Given values, then the template's defaults, then the pseudo parameters SAM knows locally. */
function parameterValues(sam: JsonObject, ctx: SamContext): Record<string, Json> {
  const params: Record<string, Json> = { ...ctx.parameterValues };
  const declared = sam['Parameters'];
  if (isObject(declared)) {
    for (const [name, p] of Object.entries(declared)) {
      if (!(name in params) && isObject(p) && 'Default' in p) params[name] = p['Default']!;
    }
  }
  params['AWS::Region'] ??= ctx.region;
  params['AWS::Partition'] ??= ctx.partition;
  return params;
}
