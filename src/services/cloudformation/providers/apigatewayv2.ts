/**
 * AWS::ApiGatewayV2::Api and Stage, through API Gateway V2's own operations: an HTTP or WebSocket API
 * from its properties (quick create with `Target`) or from an inline OpenAPI `Body` (what SAM's
 * `HttpApi` makes), and its stages.
 */
import type { Properties, ResourceContext, ResourceProvider } from '../provider.js';
import { definitionChanged, definitionOf } from './definition-body.js';
import { changed, gone, obj, onlyKnown, orUndo, str, UnsupportedProperty } from './props.js';

const API = 'AWS::ApiGatewayV2::Api';
const STAGE = 'AWS::ApiGatewayV2::Stage';
const NOT_FOUND = 'NotFoundException';

/** Properties CreateApi and UpdateApi take under the same names. */
const API_SETTINGS = ['Description', 'CorsConfiguration', 'DisableExecuteApiEndpoint', 'RouteSelectionExpression', 'ApiKeySelectionExpression', 'Version', 'DisableSchemaValidation'];
const API_PROPS = ['Name', 'ProtocolType', 'Body', 'BodyS3Location', 'Tags', 'Target', 'RouteKey', 'CredentialsArn', 'FailOnWarnings', 'BasePath', ...API_SETTINGS];

const pick = (props: Properties, keys: readonly string[]): Record<string, unknown> => Object.fromEntries(keys.filter((k) => props[k] !== undefined).map((k) => [k, props[k]]));
const tagsOf = (props: Properties): Record<string, string> => Object.fromEntries(Object.entries(obj(props, 'Tags') ?? {}).map(([k, v]) => [k, String(v)]));
const apiArn = (ctx: ResourceContext, id: string) => `arn:aws:apigateway:${ctx.region}::/apis/${id}`;

function refuseUnserved(props: Properties): void {
  if (props['BasePath'] !== undefined) throw new UnsupportedProperty(API, 'BasePath', 'base paths of imported definitions are not applied.');
}

async function attributes(ctx: ResourceContext, id: string) {
  const api = await ctx.call('apigatewayv2', 'GetApi', { ApiId: id });
  return { physicalId: id, attributes: { ApiId: id, ApiEndpoint: api['ApiEndpoint'] } };
}

/** Tags set to what the template says: added or changed, and removed. */
async function syncTags(ctx: ResourceContext, arn: string, want: Record<string, string>, had: Record<string, string>): Promise<void> {
  const removed = Object.keys(had).filter((k) => !(k in want));
  if (removed.length > 0) await ctx.call('apigatewayv2', 'UntagResource', { ResourceArn: arn, TagKeys: removed });
  const put = Object.fromEntries(Object.entries(want).filter(([k, v]) => had[k] !== v));
  if (Object.keys(put).length > 0) await ctx.call('apigatewayv2', 'TagResource', { ResourceArn: arn, Tags: put });
}

const api: ResourceProvider = {
  replaceOn: ['ProtocolType'],
  async create(props, ctx) {
    onlyKnown(API, props, API_PROPS);
    refuseUnserved(props);
    const body = (await definitionOf(API, props, ctx))?.toString('utf8');
    if (body === undefined) {
      const created = await ctx.call('apigatewayv2', 'CreateApi', {
        Name: str(props, 'Name') ?? ctx.physicalName(128),
        ProtocolType: str(props, 'ProtocolType') ?? 'HTTP',
        ...pick(props, ['Target', 'RouteKey', 'CredentialsArn', ...API_SETTINGS]),
        ...(props['Tags'] !== undefined ? { Tags: tagsOf(props) } : {}),
      });
      return attributes(ctx, String(created['ApiId']));
    }
    const imported = await ctx.call('apigatewayv2', 'ImportApi', { Body: body, ...pick(props, ['FailOnWarnings']) });
    const id = String(imported['ApiId']);
    return orUndo(
      async () => {
        const settings = pick(props, ['Name', ...API_SETTINGS]);
        if (Object.keys(settings).length > 0) await ctx.call('apigatewayv2', 'UpdateApi', { ApiId: id, ...settings });
        await syncTags(ctx, apiArn(ctx, id), tagsOf(props), {});
        return attributes(ctx, id);
      },
      () => ctx.call('apigatewayv2', 'DeleteApi', { ApiId: id }),
    );
  },
  async update(id, props, previous, ctx) {
    onlyKnown(API, props, API_PROPS);
    refuseUnserved(props);
    const body = definitionChanged(props, previous) ? (await definitionOf(API, props, ctx))?.toString('utf8') : undefined;
    if (body !== undefined) await ctx.call('apigatewayv2', 'ReimportApi', { ApiId: id, Body: body, ...pick(props, ['FailOnWarnings']) });
    const settings = pick(props, ['Name', 'Target', 'RouteKey', 'CredentialsArn', ...API_SETTINGS].filter((k) => changed(props, previous, k)));
    if (Object.keys(settings).length > 0) await ctx.call('apigatewayv2', 'UpdateApi', { ApiId: id, ...settings });
    await syncTags(ctx, apiArn(ctx, id), tagsOf(props), tagsOf(previous));
    return attributes(ctx, id);
  },
  async delete(id, _props, ctx) {
    await gone(ctx.call('apigatewayv2', 'DeleteApi', { ApiId: id }), NOT_FOUND);
  },
};

/** Properties CreateStage and UpdateStage take under the same names. */
const STAGE_SETTINGS = ['DeploymentId', 'Description', 'AutoDeploy', 'StageVariables', 'DefaultRouteSettings', 'RouteSettings', 'AccessLogSettings', 'ClientCertificateId'];

const stage: ResourceProvider = {
  replaceOn: ['ApiId', 'StageName'],
  async create(props, ctx) {
    onlyKnown(STAGE, props, ['ApiId', 'StageName', 'Tags', ...STAGE_SETTINGS]);
    const stageName = str(props, 'StageName') ?? ctx.physicalName(128);
    await ctx.call('apigatewayv2', 'CreateStage', {
      ApiId: str(props, 'ApiId'),
      StageName: stageName,
      ...pick(props, STAGE_SETTINGS),
      ...(props['Tags'] !== undefined ? { Tags: tagsOf(props) } : {}),
    });
    return { physicalId: stageName, attributes: {} };
  },
  async update(stageName, props, previous, ctx) {
    onlyKnown(STAGE, props, ['ApiId', 'StageName', 'Tags', ...STAGE_SETTINGS]);
    const apiId = str(props, 'ApiId')!;
    const settings = pick(props, STAGE_SETTINGS.filter((k) => changed(props, previous, k)));
    if (Object.keys(settings).length > 0) await ctx.call('apigatewayv2', 'UpdateStage', { ApiId: apiId, StageName: stageName, ...settings });
    await syncTags(ctx, `${apiArn(ctx, apiId)}/stages/${stageName}`, tagsOf(props), tagsOf(previous));
    return { physicalId: stageName, attributes: {} };
  },
  async delete(stageName, props, ctx) {
    await gone(ctx.call('apigatewayv2', 'DeleteStage', { ApiId: str(props, 'ApiId'), StageName: stageName }), NOT_FOUND);
  },
};

export const apigatewayv2Providers: Readonly<Record<string, ResourceProvider>> = { [API]: api, [STAGE]: stage };
