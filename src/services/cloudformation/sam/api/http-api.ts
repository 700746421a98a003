/**
 * AWS::Serverless::HttpApi → AWS::ApiGatewayV2::Api (its OpenAPI body, tagged `httpapi:createdBy: SAM`)
 * and an auto-deploying stage ("$default" unless StageName says otherwise).
 */
import { invalidResource, SamCause } from '../errors.js';
import { s3Location } from '../function/code.js';
import { logicalIdHash } from '../hash.js';
import { isObject, ref, resolveParameterRefs, type Json, type JsonObject } from '../intrinsics.js';
import { cfn, ownAttributes, passThrough, type SamResource } from '../model.js';
import { propagateTags } from '../tags.js';
import type { Emitted, Translation } from '../translation.js';
import { httpApiDomain } from './domain.js';
import { addHttpCors } from './http-cors.js';
import { applyHttpAuth } from './http-auth.js';

const KNOWN = [
  '__MANAGE_SWAGGER', 'Name', 'StageName', 'Tags', 'PropagateTags', 'DefinitionBody', 'DefinitionUri', 'StageVariables',
  'CorsConfiguration', 'AccessLogSettings', 'DefaultRouteSettings', 'Auth', 'RouteSettings', 'Domain', 'FailOnWarnings',
  'Description', 'DisableExecuteApiEndpoint',
];
const UNSUPPORTED: string[] = [];
const OPENAPI_3 = /^3\.\d\.\d$/;
const TAG_VALUE = 'x-amazon-apigateway-tag-value';

export function translateHttpApi(sam: SamResource, t: Translation): Emitted {
  const { logicalId: id, properties: p, raw } = sam;
  for (const k of Object.keys(p)) {
    if (!KNOWN.includes(k)) throw invalidResource(id, `property ${k} not defined for resource of type AWS::Serverless::HttpApi`);
  }
  for (const k of UNSUPPORTED) {
    if (p[k] !== undefined && p[k] !== null && p[k] !== false) throw new SamCause(`Resource with id [${id}] uses ${k}, which Selfless's SAM transform does not support yet.`);
  }
  const body = isObject(p['DefinitionBody']) ? p['DefinitionBody'] : undefined;
  if (p['DefinitionUri'] && body) throw invalidResource(id, "Specify either 'DefinitionUri' or 'DefinitionBody' property and not both.");
  const valid = body !== undefined && isObject(body['paths']) && typeof body['openapi'] === 'string' && OPENAPI_3.test(body['openapi']);

  if (p['CorsConfiguration']) addHttpCors(id, body, resolveParameterRefs(p['CorsConfiguration'], t.params));
  const permissions = isObject(p['Auth']) && Object.keys(p['Auth']).length > 0 ? applyHttpAuth(id, body, p['Auth'], passThrough(raw), t.ctx.partition) : [];

  // SAM writes its tag into the Tags map itself, so the stage and propagation see it too.
  let tags = isObject(p['Tags']) && Object.keys(p['Tags']).length > 0 ? p['Tags'] : undefined;
  if (tags && !body) throw invalidResource(id, "Tags works only with inline OpenApi specified in the 'DefinitionBody' property.");
  if (tags && !valid) throw invalidResource(id, "Unable to add `Tags` because 'DefinitionBody' does not contain a valid OpenApi definition.");
  if (body && valid) {
    tags = tags ?? {};
    tags['httpapi:createdBy'] = 'SAM';
    addTags(body, tags);
  }

  const api = cfn('AWS::ApiGatewayV2::Api', {}, ownAttributes(raw));
  if (p['FailOnWarnings']) api.Properties['FailOnWarnings'] = p['FailOnWarnings'];
  if (p['DisableExecuteApiEndpoint'] !== undefined && p['DisableExecuteApiEndpoint'] !== null) {
    if (!body) throw invalidResource(id, "DisableExecuteApiEndpoint works only within 'DefinitionBody' property.");
    // Each OpenAPI server gets the extension (one server is made if there is none).
    const servers = (Array.isArray(body['servers']) ? body['servers'] : [{}]) as Json[];
    for (const server of servers) {
      if (!isObject(server)) throw new SamCause("Structure of the SAM template is invalid. Value of 'servers' item must be a dictionary according to Swagger spec.");
      const config = (isObject(server['x-amazon-apigateway-endpoint-configuration']) ? server['x-amazon-apigateway-endpoint-configuration'] : {}) as JsonObject;
      config['disableExecuteApiEndpoint'] = p['DisableExecuteApiEndpoint'];
      server['x-amazon-apigateway-endpoint-configuration'] = config;
    }
    body['servers'] = servers;
  }
  if (p['Name']) {
    if (!body) throw invalidResource(id, "Name works only with inline OpenApi specified in the 'DefinitionBody' property.");
    const info = isObject(body['info']) ? body['info'] : undefined;
    const title = info?.['title'];
    if (!(isObject(title) && title['Ref'] === 'AWS::StackName' && Object.keys(title).length === 1)) {
      throw invalidResource(id, "Unable to set Name because it is already defined within inline OpenAPI specified in the 'DefinitionBody' property.");
    }
    info!['title'] = p['Name'];
  }
  if (p['Description']) {
    if (!body) throw invalidResource(id, "Description works only with inline OpenApi specified in the 'DefinitionBody' property.");
    const info = (isObject(body['info']) ? body['info'] : (body['info'] = {})) as JsonObject;
    if (!info['description']) info['description'] = p['Description'];
  }
  if (p['FailOnWarnings'] && body && isObject(body['paths']) && '$default' in body['paths']) {
    const paths = body['paths'];
    const item = paths['$default']!;
    delete paths['$default'];
    paths['/$default'] = item;
  }
  if (p['DefinitionUri']) {
    const loc = s3Location(id, p['DefinitionUri'], 'DefinitionUri');
    const s3: JsonObject = { Bucket: loc['S3Bucket']!, Key: loc['S3Key']! };
    if (loc['S3ObjectVersion'] !== undefined) s3['Version'] = loc['S3ObjectVersion'];
    api.Properties['BodyS3Location'] = s3;
  } else if (body) {
    api.Properties['Body'] = body;
  } else {
    throw invalidResource(
      id,
      "'DefinitionUri' or 'DefinitionBody' are required properties of an 'AWS::Serverless::HttpApi'. Add a value for one of these properties or add a 'HttpApi' event to an 'AWS::Serverless::Function'.",
    );
  }
  const out: Emitted = [[id, api], ...permissions];

  const stageName = p['StageName'] || '$default';
  if (stageName || p['StageVariables'] || p['AccessLogSettings'] || p['DefaultRouteSettings'] || p['RouteSettings']) {
    const stageId = stageIdOf(id, stageName);
    out.push([
      stageId,
      cfn(
        'AWS::ApiGatewayV2::Stage',
        {
          ApiId: ref(id),
          StageName: stageName,
          StageVariables: p['StageVariables'],
          AccessLogSettings: p['AccessLogSettings'],
          DefaultRouteSettings: p['DefaultRouteSettings'],
          Tags: tags,
          AutoDeploy: true,
          RouteSettings: p['RouteSettings'],
        },
        { ...passThrough(raw) },
      ),
    ]);
  }
  if (p['Domain'] !== undefined && p['Domain'] !== null) out.push(...httpApiDomain(id, resolveParameterRefs(p['Domain'], t.params), stageIdOf(id, stageName), passThrough(raw)));
  if (body) propagateTags(out, tags);
  return out;
}

/** The stage's logical id, as samtranslator names it. */
function stageIdOf(id: string, stageName: Json): string {
  const prefix = typeof stageName === 'string' ? stageName : '';
  if (/^[A-Za-z0-9]+$/.test(prefix)) return `${id}${prefix}Stage`;
  return prefix === '$default' ? `${id}ApiGatewayDefaultStage` : `${id}Stage${logicalIdHash(prefix)}`;
}

function addTags(body: JsonObject, tags: JsonObject): void {
  const list = (body['tags'] ?? []) as Json[];
  if (!Array.isArray(list)) throw new SamCause(`Structure of the SAM template is invalid. Tags in OpenApi DefinitionBody needs to be a list.`);
  for (const [name, value] of Object.entries(tags)) {
    const existing = list.find((t) => isObject(t) && t['name'] === name) as JsonObject | undefined;
    if (existing) existing[TAG_VALUE] = value;
    else list.push({ name, [TAG_VALUE]: value });
  }
  body['tags'] = list;
}
