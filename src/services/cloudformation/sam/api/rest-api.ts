/**
 * AWS::Serverless::Api → AWS::ApiGateway::RestApi (its body as SAM and the Api events left it), a
 * Deployment named after a hash of that body (so CloudFormation redeploys exactly when it changes),
 * and the Stage.
 */
import { hashedDomain, restApiDomain } from './domain.js';
import { invalidResource, SamCause } from '../errors.js';
import { s3Location } from '../function/code.js';
import { logicalIdHash, pythonJsonDumps } from '../hash.js';
import { isObject, ref, resolveParameterRefs, type Json, type JsonObject } from '../intrinsics.js';
import { cfn, ownAttributes, passThrough, tagList, type SamResource } from '../model.js';
import { propagateTags } from '../tags.js';
import type { Emitted, Translation } from '../translation.js';
import { applyApiAuth } from './auth.js';
import { usagePlanResources } from './usage-plan.js';
import { addCors } from './cors.js';
import { openApiPostprocess } from './openapi3.js';
import { addGatewayResponses } from './gateway-responses.js';
import { addModels } from './request-model.js';
import { py27Deepcopy, py27Str, samDict, samSet } from './py27.js';

const KNOWN = [
  '__MANAGE_SWAGGER', 'Name', 'StageName', 'Tags', 'PropagateTags', 'DefinitionBody', 'DefinitionUri', 'MergeDefinitions',
  'CacheClusterEnabled', 'CacheClusterSize', 'Variables', 'EndpointConfiguration', 'MethodSettings', 'BinaryMediaTypes',
  'MinimumCompressionSize', 'Cors', 'Auth', 'GatewayResponses', 'AccessLogSetting', 'CanarySetting', 'TracingEnabled',
  'OpenApiVersion', 'Models', 'Domain', 'FailOnWarnings', 'Description', 'Mode', 'DisableExecuteApiEndpoint',
  'ApiKeySourceType', 'AlwaysDeploy', 'Policy', 'SecurityPolicy', 'EndpointAccessMode',
];
/** Properties samtranslator supports that this transform refuses rather than drops. */
const UNSUPPORTED = ['MergeDefinitions', 'AlwaysDeploy'];
const OPENAPI_VERSION = /^[2-3](\.\d)(\.\d)?$/;

export function translateRestApi(sam: SamResource, t: Translation): Emitted {
  const { logicalId: id, properties: p, raw } = sam;
  for (const k of Object.keys(p)) {
    if (!KNOWN.includes(k)) throw invalidResource(id, `property ${k} not defined for resource of type AWS::Serverless::Api`);
  }
  if (p['StageName'] === undefined || p['StageName'] === null) throw invalidResource(id, "Missing required property 'StageName'.");
  for (const k of UNSUPPORTED) {
    if (p[k] !== undefined && p[k] !== null) throw new SamCause(`Resource with id [${id}] uses ${k}, which Selfless's SAM transform does not support yet.`);
  }
  if (p['DefinitionUri'] && p['DefinitionBody']) throw invalidResource(id, "Specify either 'DefinitionUri' or 'DefinitionBody' property and not both.");
  const openApiVersion = p['OpenApiVersion'];
  if (openApiVersion !== undefined && openApiVersion !== null && !(typeof openApiVersion === 'string' && OPENAPI_VERSION.test(openApiVersion))) {
    throw invalidResource(id, "The OpenApiVersion value must be of the format '3.0.0'.");
  }

  const attrs = passThrough(raw);
  const api = cfn('AWS::ApiGateway::RestApi', {}, ownAttributes(raw));
  api.Properties['MinimumCompressionSize'] = p['MinimumCompressionSize'];
  const binary = resolveParameterRefs(p['BinaryMediaTypes'], t.params);
  api.Properties['BinaryMediaTypes'] = binary;
  if (p['EndpointConfiguration']) setEndpointConfiguration(id, api.Properties, p['EndpointConfiguration']);
  else if (!edgeSupported(t.ctx.partition)) setEndpointConfiguration(id, api.Properties, 'REGIONAL');
  let body = p['DefinitionBody'];
  if (p['Cors'] !== undefined && p['Cors'] !== null) body = addCors(id, body, p['Cors']);
  const auth = resolveParameterRefs(p['Auth'], t.params);
  const authorizerPermissions = isObject(auth) && Object.keys(auth).length > 0 ? applyApiAuth(id, body, auth, attrs, t.ctx.partition, openApiVersion) : [];
  if (p['GatewayResponses']) addGatewayResponses(id, body, p['GatewayResponses']);
  if (binary && isObject(body)) addBinaryMediaTypes(body, binary);
  if (p['Models']) {
    addModels(id, body, p['Models']);
    body = openApiPostprocess(body as JsonObject, openApiVersion);
  }
  if (p['FailOnWarnings']) api.Properties['FailOnWarnings'] = p['FailOnWarnings'];
  if (p['DisableExecuteApiEndpoint'] !== undefined && p['DisableExecuteApiEndpoint'] !== null) {
    if (!isObject(body)) throw invalidResource(id, "DisableExecuteApiEndpoint works only within 'DefinitionBody' property.");
    disableExecuteApiEndpoint(body, p['DisableExecuteApiEndpoint']);
  }
  let hashed: string | undefined;
  if (p['DefinitionUri']) {
    const loc = s3Location(id, p['DefinitionUri'], 'DefinitionUri');
    const s3 = samDict();
    samSet(s3, 'Bucket', loc['S3Bucket']!, { plainValue: false });
    samSet(s3, 'Key', loc['S3Key']!, { plainValue: false });
    if (loc['S3ObjectVersion'] !== undefined) samSet(s3, 'Version', loc['S3ObjectVersion']!, { plainValue: false });
    api.Properties['BodyS3Location'] = s3;
    hashed = py27Str(s3);
  } else if (isObject(body)) {
    api.Properties['Body'] = openApiPostprocess(body, openApiVersion);
    hashed = py27Str(body);
  }
  for (const k of ['Name', 'Description', 'Mode', 'ApiKeySourceType', 'Policy', 'SecurityPolicy', 'EndpointAccessMode']) {
    if (p[k]) api.Properties[k] = p[k];
  }

  let deploymentId = `${id}Deployment`;
  const deployment = cfn('AWS::ApiGateway::Deployment', { RestApiId: ref(id) }, { ...attrs });
  if (!openApiVersion) deployment.Properties['StageName'] = 'Stage';

  const stageName = p['StageName'];
  const prefix = typeof stageName === 'string' ? stageName : '';
  const stageId = /^[A-Za-z0-9]+$/.test(prefix) ? `${id}${prefix}Stage` : `${id}Stage${logicalIdHash(prefix)}`;
  const domainProp = p['Domain'] !== undefined && p['Domain'] !== null ? resolveParameterRefs(p['Domain'], t.params) : undefined;
  const domain = domainProp !== undefined ? restApiDomain(id, domainProp, stageId, attrs) : [];
  if (hashed !== undefined) {
    const input = [hashed];
    if (openApiVersion) input.push(String(openApiVersion));
    if (isObject(domainProp) && Object.keys(domainProp).length > 0) input.push(pythonJsonDumps(hashedDomain(id, domainProp)));
    const names = t.functionNamesByApi.get(id);
    if (names && names.length > 0) input.push(names.join(''));
    const digest = logicalIdHash(input.join('||'), 40);
    deploymentId = `${id}Deployment${digest.slice(0, 10)}`;
    deployment.Properties['Description'] = `RestApi deployment id: ${digest}`;
  }
  const stage = cfn(
    'AWS::ApiGateway::Stage',
    {
      RestApiId: ref(id),
      DeploymentId: ref(deploymentId),
      StageName: stageName,
      CacheClusterEnabled: p['CacheClusterEnabled'],
      CacheClusterSize: p['CacheClusterSize'],
      Variables: p['Variables'],
      MethodSettings: p['MethodSettings'],
      AccessLogSetting: p['AccessLogSetting'],
      CanarySetting: p['CanarySetting'],
      TracingEnabled: p['TracingEnabled'],
      Tags: p['Tags'] !== undefined && p['Tags'] !== null ? tagList(p['Tags']) : undefined,
    },
    { ...attrs },
  );
  const usagePlan = usagePlanResources(id, isObject(auth) ? auth['UsagePlan'] : undefined, stageId, attrs, t);
  const out: Emitted = [[id, api], [deploymentId, deployment], [stageId, stage], ...authorizerPermissions, ...usagePlan, ...domain];
  if (p['PropagateTags'] === true) propagateTags(out, p['Tags']);
  return out;
}

/** The body lists binary media types too, with JSON-pointer escapes (`~1`) turned back into '/'. */
function addBinaryMediaTypes(body: JsonObject, types: Json): void {
  const unescape = (v: Json): Json => {
    if (typeof v === 'string') return v.split('~1').join('/');
    if (Array.isArray(v)) return v.map(unescape);
    if (isObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k.split('~1').join('/'), unescape(x)]));
    return v;
  };
  py27Deepcopy(body);
  samSet(body, 'x-amazon-apigateway-binary-media-types', unescape(types), { plainValue: false });
  py27Deepcopy(body);
}

const ENDPOINT_CONFIG = 'x-amazon-apigateway-endpoint-configuration';

/** DisableExecuteApiEndpoint goes in the body: on each OpenAPI 3 server, else at the top of the Swagger document. */
function disableExecuteApiEndpoint(body: JsonObject, value: Json): void {
  py27Deepcopy(body);
  const set = (target: JsonObject): void => {
    if (!(ENDPOINT_CONFIG in target)) samSet(target, ENDPOINT_CONFIG, samDict(true));
    const config = target[ENDPOINT_CONFIG];
    if (!isObject(config)) throw new SamCause(`Structure of the SAM template is invalid. Invalid OpenAPI definition: ${ENDPOINT_CONFIG}.`);
    samSet(config, 'disableExecuteApiEndpoint', value);
  };
  if (typeof body['openapi'] === 'string' && /^3(\.\d)(\.\d)?$/.test(body['openapi'])) {
    const servers = (Array.isArray(body['servers']) ? body['servers'] : [samDict()]) as Json[];
    servers.forEach((s, index) => {
      if (!isObject(s)) throw new SamCause(`Structure of the SAM template is invalid. Invalid OpenAPI definition of 'servers[${index}]'.`);
      set(s);
    });
    samSet(body, 'servers', servers);
  } else set(body);
  py27Deepcopy(body);
}

/** Edge-optimized endpoints exist only in the aws partition: elsewhere SAM makes APIs regional. */
function edgeSupported(partition: string): boolean {
  return !(partition.startsWith('aws-iso') || ['aws-us-gov', 'aws-cn', 'aws-eusc'].includes(partition));
}

function setEndpointConfiguration(id: string, props: Record<string, Json | undefined>, value: Json): void {
  if (isObject(value) && value['Type']) {
    props['Parameters'] = { endpointConfigurationTypes: value['Type'] };
    const config: JsonObject = { Types: [value['Type']] };
    if ('VPCEndpointIds' in value && 'VpcEndpointIds' in value) {
      throw invalidResource(id, "'VPCEndpointIds' and 'VpcEndpointIds' cannot be used together in EndpointConfiguration.");
    }
    if ('VPCEndpointIds' in value || 'VpcEndpointIds' in value) config['VpcEndpointIds'] = value['VPCEndpointIds'] || value['VpcEndpointIds']!;
    if ('IpAddressType' in value) config['IpAddressType'] = value['IpAddressType']!;
    props['EndpointConfiguration'] = config;
  } else {
    props['EndpointConfiguration'] = { Types: [value] };
    props['Parameters'] = { endpointConfigurationTypes: value };
  }
}
