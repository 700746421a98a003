/**
 * AWS::Serverless::Function → AWS::Lambda::Function, its execution role, the AutoPublishAlias version
 * and alias, a function URL, the deployment preference's update policy, and each event's resources.
 */
import { invalidResource } from '../errors.js';
import { getAtt, isIf, isNoValue, isObject, ref, resolveParameterRefs, type Json, type JsonObject } from '../intrinsics.js';
import { cfn, ownAttributes, passThrough, samTagList, type CfnResource, type SamResource } from '../model.js';
import type { Emitted, Translation } from '../translation.js';
import { translateEvents, type EventTarget } from '../events/index.js';
import { functionCode } from './code.js';
import { buildExecutionRole } from './role.js';
import { buildEventInvokeConfig } from './event-invoke-config.js';
import { buildFunctionUrl } from './url.js';
import { buildAlias, buildVersion } from './version.js';
import { propagateTags } from '../tags.js';

const PASSED_THROUGH = [
  'Handler', 'Runtime', 'Description', 'MemorySize', 'Timeout', 'VpcConfig', 'Role', 'Environment', 'KmsKeyArn',
  'ReservedConcurrentExecutions', 'Layers', 'FileSystemConfigs', 'ImageConfig', 'PackageType', 'Architectures',
  'SnapStart', 'EphemeralStorage', 'CodeSigningConfigArn', 'RuntimeManagementConfig', 'LoggingConfig', 'TenancyConfig',
  'RecursiveLoop', 'DurableConfig', 'FunctionScalingConfig', 'PublishToLatestPublished',
] as const;

export function translateFunction(sam: SamResource, t: Translation): Emitted {
  const { logicalId: id, properties: p, raw } = sam;
  validateRules(id, p);
  if (p['DeadLetterQueue'] !== undefined) validateDlq(id, p['DeadLetterQueue']);
  const attrs = passThrough(raw);
  const out: Emitted = [];

  const fn = cfn('AWS::Lambda::Function', {}, ownAttributes(raw));
  if (p['FunctionName']) fn.Properties['FunctionName'] = p['FunctionName'];
  for (const name of PASSED_THROUGH) fn.Properties[name] = p[name];
  fn.Properties['Code'] = functionCode(id, p);
  if (p['CapacityProviderConfig'] !== undefined && p['CapacityProviderConfig'] !== null) fn.Properties['CapacityProviderConfig'] = capacityProviderConfig(id, p['CapacityProviderConfig']);
  fn.Properties['Tags'] = samTagList(id, p['Tags']);
  const tracing = resolveParameterRefs(p['Tracing'], t.params);
  const tracingEnabled = Boolean(p['Tracing']) && tracing !== 'Disabled';
  if (tracingEnabled) fn.Properties['TracingConfig'] = { Mode: p['Tracing']! };
  if (isObject(p['DeadLetterQueue'])) fn.Properties['DeadLetterConfig'] = { TargetArn: p['DeadLetterQueue']['TargetArn']! };
  validatePackageType(id, fn.Properties);
  out.push([id, fn]);

  if (p['ProvisionedConcurrencyConfig'] && !p['AutoPublishAlias']) {
    throw invalidResource(id, 'To set ProvisionedConcurrencyConfig AutoPublishALias must be defined on the function');
  }

  let alias: [string, CfnResource] | undefined;
  let aliasName = '';
  if (p['AutoPublishAlias']) {
    const name = resolveParameterRefs(p['AutoPublishAlias'], t.params);
    if (typeof name !== 'string') throw invalidResource(id, "'AutoPublishAlias' must be a string or a Ref to a template parameter");
    aliasName = name;
    let codeSha256: string | undefined;
    if (p['AutoPublishCodeSha256']) {
      const sha = resolveParameterRefs(p['AutoPublishCodeSha256'], t.params);
      if (typeof sha !== 'string') throw invalidResource(id, 'AutoPublishCodeSha256 must be a string');
      codeSha256 = sha;
      // Lambda publishes no new version for unchanged code: the hash in the description makes a change.
      const description = resolveParameterRefs(p['Description'], t.params);
      fn.Properties['Description'] =
        !description || typeof description === 'string'
          ? description ? `${description} ${sha}` : sha
          : { 'Fn::Join': [' ', [description, sha]] };
    }
    const version = buildVersion({ logicalId: id, properties: p, function: fn, attributes: attrs, params: t.params, samResources: t.samResources, codeSha256 });
    alias = buildAlias(id, name, version[0], p, attrs);
    out.push(version, alias);
  }

  const target: EventTarget = alias
    ? { functionId: id, logicalId: alias[0], name: ref(alias[0]), arn: ref(alias[0]), attributes: attrs, condition: raw['Condition'] }
    : { functionId: id, logicalId: id, name: ref(id), arn: getAtt(id, 'Arn'), attributes: attrs, condition: raw['Condition'] };

  if (isObject(p['FunctionUrlConfig'])) {
    out.push(...buildFunctionUrl(id, alias ? ref(alias[0]) : ref(id), p['FunctionUrlConfig'], attrs));
  }

  if (isObject(p['DeploymentPreference'])) deploymentPreference(id, p, raw, alias?.[1], t);

  const invokeConfig = p['EventInvokeConfig'] ? buildEventInvokeConfig(id, raw, p['EventInvokeConfig'], alias, aliasName, t) : undefined;
  if (invokeConfig) out.push(...invokeConfig.resources);

  const role = buildExecutionRole({
    logicalId: id,
    properties: p,
    attributes: attrs,
    partition: t.ctx.partition,
    tracingEnabled,
    extraDocuments: [...(isObject(p['DeadLetterQueue']) ? [dlqPolicy(p['DeadLetterQueue'])] : []), ...(invokeConfig?.policies ?? [])],
  });
  if (fn.Properties['Role'] === undefined) {
    fn.Properties['Role'] = getAtt(`${id}Role`, 'Arn');
    out.push([`${id}Role`, role]);
  } else if (isIf(fn.Properties['Role'])) {
    conditionalRole(id, fn, role, out, t);
  }

  out.push(...translateEvents(sam, target, role, t));
  if (p['PropagateTags'] === true) propagateTags(out, p['Tags']);
  return out;
}

function deploymentPreference(id: string, p: JsonObject, raw: JsonObject, alias: CfnResource | undefined, t: Translation): void {
  const dict = structuredClone(p['DeploymentPreference']) as JsonObject;
  const resolve = (v: Json): Json => resolveFindInMap(resolveParameterRefs(v, t.params), t.mappings);
  if ('Enabled' in dict) dict['Enabled'] = resolve(dict['Enabled']!);
  if ('Type' in dict) dict['Type'] = resolve(dict['Type']!);
  if ('PassthroughCondition' in dict) {
    const v = resolve(dict['PassthroughCondition']!);
    if (v === true || v === 'true' || v === 'True') dict['PassthroughCondition'] = true;
    else if (v === false || v === 'false' || v === 'False') dict['PassthroughCondition'] = false;
    else if (isObject(v)) {
      throw invalidResource(id, 'Unsupported intrinsic: the only intrinsic functions supported for property PassthroughCondition are FindInMap and parameter Refs.');
    } else throw invalidResource(id, 'Invalid value for property PassthroughCondition.');
  } else dict['PassthroughCondition'] = false;
  const enabled = t.deployments.add(id, dict, raw['Condition'], p['Tags'], p['PropagateTags'] === true);
  if (!enabled) return;
  if (!p['AutoPublishAlias'] || !alias) throw invalidResource(id, "'DeploymentPreference' requires AutoPublishAlias property to be specified.");
  alias.UpdatePolicy = t.deployments.updatePolicy(id);
}

/** Fn::FindInMap with literal arguments, as samtranslator resolves it for DeploymentPreference. */
function resolveFindInMap(v: Json, mappings: JsonObject): Json {
  if (!isObject(v) || Object.keys(v).length !== 1 || !Array.isArray(v['Fn::FindInMap'])) return v;
  const [m, k1, k2] = v['Fn::FindInMap'] as Json[];
  if (typeof m !== 'string' || typeof k1 !== 'string' || typeof k2 !== 'string') return v;
  const top = mappings[m];
  const second = isObject(top) ? top[k1] : undefined;
  return isObject(second) && k2 in second ? second[k2]! : v;
}

/** `Role: !If [Cond, !Ref AWS::NoValue, arn]`: the generated role is used on the NoValue side only. */
function conditionalRole(id: string, fn: CfnResource, role: CfnResource, out: Emitted, t: Translation): void {
  const resolved = resolveParameterRefs(fn.Properties['Role'], t.params) as { 'Fn::If': Json[] };
  const items = resolved['Fn::If'];
  if (!Array.isArray(items) || items.length !== 3) throw invalidResource(id, "Malformed 'Role' property: Fn::If requires 3 arguments.");
  const [cond, yes, no] = items as [Json, Json, Json];
  const arn = getAtt(`${id}Role`, 'Arn');
  if (isNoValue(yes) && isNoValue(no)) {
    fn.Properties['Role'] = arn;
    out.push([`${id}Role`, role]);
  } else if (isNoValue(yes)) {
    fn.Properties['Role'] = { 'Fn::If': [cond, arn, no] };
    role.Condition = cond;
    out.push([`${id}Role`, role]);
  } else if (isNoValue(no)) {
    fn.Properties['Role'] = { 'Fn::If': [cond, yes, arn] };
    role.Condition = `NOT${String(cond)}`;
    t.conditions[`NOT${String(cond)}`] = { 'Fn::Not': [{ Condition: cond }] };
    out.push([`${id}Role`, role]);
  }
}

function dlqPolicy(dlq: JsonObject): JsonObject {
  const action = dlq['Type'] === 'SQS' ? 'sqs:SendMessage' : 'sns:Publish';
  return {
    PolicyName: 'DeadLetterQueuePolicy',
    PolicyDocument: { Version: '2012-10-17', Statement: [{ Action: action, Resource: dlq['TargetArn']!, Effect: 'Allow' }] },
  };
}

function validateDlq(id: string, dlq: Json): void {
  if (!isObject(dlq) || !dlq['Type'] || !dlq['TargetArn']) {
    throw invalidResource(id, "'DeadLetterQueue' requires Type and TargetArn properties to be specified.");
  }
  if (dlq['Type'] !== 'SQS' && dlq['Type'] !== 'SNS') throw invalidResource(id, "'DeadLetterQueue' requires Type of ['SQS', 'SNS']");
}

function validatePackageType(id: string, props: Record<string, Json | undefined>): void {
  const type = props['PackageType'] ?? 'Zip';
  if (type !== 'Zip' && type !== 'Image') throw invalidResource(id, 'PackageType needs to be `Zip` or `Image`');
  const code = props['Code'] as JsonObject;
  if (type === 'Zip') {
    if (!props['Runtime'] || !props['Handler']) {
      throw invalidResource(id, 'Runtime and Handler needs to be present when PackageType is of type `Zip`');
    }
    if (code['ImageUri'] || props['ImageConfig']) {
      throw invalidResource(id, 'ImageUri or ImageConfig cannot be present when PackageType is of type `Zip`');
    }
  } else {
    if (props['Handler'] || props['Runtime'] || props['Layers']) {
      throw invalidResource(id, 'Runtime, Handler, Layers cannot be present when PackageType is of type `Image`');
    }
    if (!code['ImageUri']) throw invalidResource(id, 'ImageUri needs to be present when PackageType is of type `Image`');
  }
}

/** SAM's `CapacityProviderConfig: { Arn, ... }` is Lambda's `LambdaManagedInstancesCapacityProviderConfig` with `CapacityProviderArn`. */
function capacityProviderConfig(id: string, c: Json): JsonObject {
  if (!isObject(c) || c['Arn'] === undefined || c['Arn'] === null) throw invalidResource(id, 'Invalid CapacityProviderConfig: Arn is required.');
  const out: JsonObject = { CapacityProviderArn: c['Arn'] };
  for (const k of ['PerExecutionEnvironmentMaxConcurrency', 'ExecutionEnvironmentMemoryGiBPerVCpu']) if (c[k] !== undefined && c[k] !== null) out[k] = c[k];
  return { LambdaManagedInstancesCapacityProviderConfig: out };
}

function validateRules(id: string, p: JsonObject): void {
  const has = (k: string): boolean => p[k] !== undefined && p[k] !== null;
  const errors: string[] = [];
  for (const [a, b] of [['CapacityProviderConfig', 'ProvisionedConcurrencyConfig'], ['CapacityProviderConfig', 'VpcConfig']] as const) {
    if (has(a) && has(b)) errors.push(`Cannot specify '${a}' and '${b}' together.`);
  }
  for (const [a, b] of [['FunctionScalingConfig', 'CapacityProviderConfig'], ['VersionDeletionPolicy', 'AutoPublishAlias']] as const) {
    if (has(a) && !has(b)) errors.push(`'${a}' requires '${b}'.`);
  }
  if (errors.length > 0) throw invalidResource(id, errors.join('\n'));
}
