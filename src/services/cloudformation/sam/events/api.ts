/**
 * Api events: the permission for API Gateway to invoke the function from the REST API's routes and,
 * when SAM manages that API's definition, the Lambda proxy integration on the event's path and method.
 */
import { invalidResource } from '../errors.js';
import { isObject, resolveParameterRefs, type Json, type JsonObject } from '../intrinsics.js';
import { applyEventAuth } from '../api/auth.js';
import { py27Deepcopy, samDict, samSet } from '../api/py27.js';
import { addLambdaIntegration, hasIntegration, INTEGRATION, normalizeMethod, conditionalContents } from '../api/swagger.js';
import type { Emitted } from '../translation.js';
import { addRequestModel, addRequestParameters } from '../api/request-model.js';
import { checkProperties, eventError, permission, type EventInput } from './common.js';

const KNOWN = ['Path', 'Method', 'RestApiId', 'Stage', 'Auth', 'RequestModel', 'RequestParameters', 'TimeoutInMillis', 'ResponseTransferMode'];

export function translateApiEvent(input: EventInput): Emitted {
  const p = input.properties;
  const rawId = p['RestApiId'];
  const apiId = isObject(rawId) && 'Ref' in rawId ? rawId['Ref'] : rawId;
  let suffix = 'AllStages';
  let api: JsonObject | undefined;
  if (typeof apiId === 'string') {
    const resource = input.t.samResources[apiId];
    if (!isObject(resource)) throw eventError(input, 'RestApiId property of Api event must reference a valid resource in the same template.');
    const props = resource['Properties'] ?? {};
    if (!isObject(props)) throw invalidResource(apiId, "Attribute 'Properties' should be a map.");
    api = props;
    const stage = props['StageName'];
    if (typeof stage === 'string') {
      if (!stage) throw invalidResource(apiId, 'StageName cannot be empty.');
      suffix = stage;
    } else suffix = 'Stage';
  }
  checkProperties(input, KNOWN, ['Path', 'Method', 'RestApiId']);
  const path = String(p['Path']);
  const method = String(p['Method']).toLowerCase();

  const cleanPath = path.replace(/^(.+)\/$/, '$1').replace(/{([a-zA-Z0-9._-]+|[a-zA-Z0-9._-]+\+|proxy\+)}/g, '*');
  const verb = method === 'any' ? '*' : method.toUpperCase();
  const sourceArn = {
    'Fn::Sub': [
      `arn:${input.t.ctx.partition}:execute-api:\${AWS::Region}:\${AWS::AccountId}:\${__ApiId__}/\${__Stage__}/${verb}${cleanPath}`,
      { __ApiId__: rawId!, __Stage__: '*' },
    ],
  };
  const out: Emitted = [permission(input, 'apigateway.amazonaws.com', { SourceArn: sourceArn, suffix })];

  if (api && (api['__MANAGE_SWAGGER'] || api['MergeDefinitions'])) {
    const body = api['DefinitionBody'];
    if (isObject(body)) {
      py27Deepcopy(body);
      if (hasIntegration(body, path, method)) throw eventError(input, `API method "${method}" defined multiple times for path "${path}".`);
      addLambdaIntegration(body, path, method, { uri: integrationUri(input, p['ResponseTransferMode']), condition: input.target.condition });
      if (p['Auth']) {
        const apiForAuth = { ...api, Auth: resolveParameterRefs(api['Auth'], input.t.params) };
        applyEventAuth(input.eventId, body, apiForAuth, path, method, p['Auth']);
      }
      if (p['ResponseTransferMode'] === 'RESPONSE_STREAM') setOnIntegrations(body, path, method, 'responseTransferMode', 'STREAM', true);
      if (p['TimeoutInMillis']) setOnIntegrations(body, path, method, 'timeoutInMillis', p['TimeoutInMillis']);
      if (p['RequestModel']) addRequestModel(input, body, api, path, method, p['RequestModel']);
      if (p['RequestParameters']) addRequestParameters(input, body, path, method, p['RequestParameters']);
      py27Deepcopy(body);
    }
  }
  return out;
}

/** `Fn::Sub` of the Lambda invocation URI API Gateway calls (on the alias when there is one). */
export function integrationUri(input: EventInput, transferMode: Json | undefined, partition: string = input.t.ctx.partition): JsonObject {
  const arn = input.target.arn as JsonObject;
  const shorthand = 'Ref' in arn ? `\${${String(arn['Ref'])}}` : `\${${(arn['Fn::GetAtt'] as string[]).join('.')}}`;
  const stream = transferMode === 'RESPONSE_STREAM';
  const text = `arn:${partition}:apigateway:\${AWS::Region}:lambda:path/${stream ? '2021-11-15' : '2015-03-31'}/functions/${shorthand}${stream ? '/response-streaming-invocations' : '/invocations'}`;
  const uri = samDict();
  // samtranslator marks the text as the template's own (u'...') only when it names the function itself.
  samSet(uri, 'Fn::Sub', text, { plainValue: 'Ref' in arn });
  return uri;
}

function setOnIntegrations(body: JsonObject, path: string, method: string, key: string, value: Json, plainValue = false): void {
  const m = normalizeMethod(method);
  for (const item of conditionalContents((body['paths'] as JsonObject)[path])) {
    if (!isObject(item)) continue;
    for (const def of conditionalContents(item[m])) {
      if (isObject(def) && isObject(def[INTEGRATION])) samSet(def[INTEGRATION] as JsonObject, key, value, { plainValue });
    }
  }
}
