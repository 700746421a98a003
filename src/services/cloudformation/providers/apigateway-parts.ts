/**
 * AWS::ApiGateway::Model, RequestValidator, GatewayResponse and Account, through API Gateway's own
 * operations (what CDK's `addModel`, `addRequestValidator`, `addGatewayResponse` and
 * `cloudWatchRole: true` make). `Ref` is the model's name, the validator's id, the response's id
 * and the account resource's id.
 */
import { randomBytes } from 'node:crypto';
import type { Properties, ResourceContext, ResourceProvider } from '../provider.js';
import { bool, changed, gone, json, obj, onlyKnown, str } from './props.js';

const NOT_FOUND = 'NotFoundException';
type Patch = { op: string; path: string; value?: string };
const setIf = (key: string, v: unknown): Record<string, unknown> => (v === undefined ? {} : { [key]: v });
/** A short id like API Gateway's own (GatewayResponse and Account have no id of their own in the API). */
const shortId = (): string => randomBytes(4).toString('hex').slice(0, 6);

const MODEL = 'AWS::ApiGateway::Model';
const MODEL_PROPS = ['RestApiId', 'Name', 'ContentType', 'Description', 'Schema'];

/** Model names are alphanumeric: a generated one is the stack's physical name without the rest. */
const modelName = (props: Properties, ctx: ResourceContext): string => str(props, 'Name') ?? ctx.physicalName(128).replace(/[^A-Za-z0-9]/g, '');

const model: ResourceProvider = {
  replaceOn: ['RestApiId', 'Name', 'ContentType'],
  async create(props, ctx) {
    onlyKnown(MODEL, props, MODEL_PROPS);
    const name = modelName(props, ctx);
    await ctx.call('apigateway', 'CreateModel', {
      restApiId: str(props, 'RestApiId'),
      name,
      contentType: str(props, 'ContentType') ?? 'application/json',
      ...setIf('description', str(props, 'Description')),
      ...setIf('schema', json(props, 'Schema')),
    });
    return { physicalId: name, attributes: {} };
  },
  async update(name, props, previous, ctx) {
    onlyKnown(MODEL, props, MODEL_PROPS);
    const patchOperations: Patch[] = [];
    if (changed(props, previous, 'Description')) patchOperations.push(str(props, 'Description') === undefined ? { op: 'remove', path: '/description' } : { op: 'replace', path: '/description', value: str(props, 'Description') });
    if (changed(props, previous, 'Schema')) patchOperations.push({ op: 'replace', path: '/schema', value: json(props, 'Schema') ?? '{}' });
    if (patchOperations.length > 0) await ctx.call('apigateway', 'UpdateModel', { restApiId: str(props, 'RestApiId'), modelName: name, patchOperations });
    return { physicalId: name, attributes: {} };
  },
  async delete(name, props, ctx) {
    await gone(ctx.call('apigateway', 'DeleteModel', { restApiId: str(props, 'RestApiId'), modelName: name }), NOT_FOUND);
  },
};

const VALIDATOR = 'AWS::ApiGateway::RequestValidator';
const VALIDATOR_PROPS = ['RestApiId', 'Name', 'ValidateRequestBody', 'ValidateRequestParameters'];

const requestValidator: ResourceProvider = {
  replaceOn: ['RestApiId'],
  async create(props, ctx) {
    onlyKnown(VALIDATOR, props, VALIDATOR_PROPS);
    const made = await ctx.call('apigateway', 'CreateRequestValidator', {
      restApiId: str(props, 'RestApiId'),
      name: str(props, 'Name') ?? ctx.physicalName(128),
      validateRequestBody: bool(props, 'ValidateRequestBody') ?? false,
      validateRequestParameters: bool(props, 'ValidateRequestParameters') ?? false,
    });
    const id = String(made['id']);
    return { physicalId: id, attributes: { RequestValidatorId: id } };
  },
  async update(id, props, previous, ctx) {
    onlyKnown(VALIDATOR, props, VALIDATOR_PROPS);
    const patchOperations: Patch[] = [];
    if (changed(props, previous, 'Name') && str(props, 'Name') !== undefined) patchOperations.push({ op: 'replace', path: '/name', value: str(props, 'Name') });
    for (const [key, path] of [['ValidateRequestBody', '/validateRequestBody'], ['ValidateRequestParameters', '/validateRequestParameters']] as const) {
      if (changed(props, previous, key)) patchOperations.push({ op: 'replace', path, value: String(bool(props, key) ?? false) });
    }
    if (patchOperations.length > 0) await ctx.call('apigateway', 'UpdateRequestValidator', { restApiId: str(props, 'RestApiId'), requestValidatorId: id, patchOperations });
    return { physicalId: id, attributes: { RequestValidatorId: id } };
  },
  async delete(id, props, ctx) {
    await gone(ctx.call('apigateway', 'DeleteRequestValidator', { restApiId: str(props, 'RestApiId'), requestValidatorId: id }), NOT_FOUND);
  },
};

const GATEWAY_RESPONSE = 'AWS::ApiGateway::GatewayResponse';
const GATEWAY_RESPONSE_PROPS = ['RestApiId', 'ResponseType', 'StatusCode', 'ResponseParameters', 'ResponseTemplates'];

/** PutGatewayResponse replaces the type's response whole: creating and updating are the same call. */
const putResponse = (props: Properties, ctx: ResourceContext) =>
  ctx.call('apigateway', 'PutGatewayResponse', {
    restApiId: str(props, 'RestApiId'),
    responseType: str(props, 'ResponseType'),
    ...setIf('statusCode', str(props, 'StatusCode')),
    ...setIf('responseParameters', obj(props, 'ResponseParameters')),
    ...setIf('responseTemplates', obj(props, 'ResponseTemplates')),
  });

const gatewayResponse: ResourceProvider = {
  replaceOn: ['RestApiId', 'ResponseType'],
  async create(props, ctx) {
    onlyKnown(GATEWAY_RESPONSE, props, GATEWAY_RESPONSE_PROPS);
    await putResponse(props, ctx);
    return { physicalId: shortId(), attributes: {} };
  },
  async update(id, props, _previous, ctx) {
    onlyKnown(GATEWAY_RESPONSE, props, GATEWAY_RESPONSE_PROPS);
    await putResponse(props, ctx);
    return { physicalId: id, attributes: {} };
  },
  async delete(_id, props, ctx) {
    await gone(ctx.call('apigateway', 'DeleteGatewayResponse', { restApiId: str(props, 'RestApiId'), responseType: str(props, 'ResponseType') }), NOT_FOUND);
  },
};

const ACCOUNT = 'AWS::ApiGateway::Account';

const setRole = (props: Properties, ctx: ResourceContext) =>
  ctx.call('apigateway', 'UpdateAccount', { patchOperations: [{ op: 'replace', path: '/cloudwatchRoleArn', value: str(props, 'CloudWatchRoleArn') ?? '' }] });

const account: ResourceProvider = {
  replaceOn: [],
  async create(props, ctx) {
    onlyKnown(ACCOUNT, props, ['CloudWatchRoleArn']);
    await setRole(props, ctx);
    return { physicalId: `${ctx.stackName}-${ctx.logicalId}-${shortId()}`.slice(0, 128), attributes: {} };
  },
  async update(id, props, _previous, ctx) {
    onlyKnown(ACCOUNT, props, ['CloudWatchRoleArn']);
    await setRole(props, ctx);
    return { physicalId: id, attributes: {} };
  },
  // CloudFormation leaves the account's setting as it is when the resource goes (the setting is the
  // account's, not the stack's; CDK retains the role for that reason), and so does Selfless.
  async delete() {},
};

export const apigatewayPartProviders: Readonly<Record<string, ResourceProvider>> = {
  [MODEL]: model,
  [VALIDATOR]: requestValidator,
  [GATEWAY_RESPONSE]: gatewayResponse,
  [ACCOUNT]: account,
};
