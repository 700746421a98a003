/**
 * AWS::ApiGateway::UsagePlan, ApiKey and UsagePlanKey: API keys and the usage plans (throttle, quota,
 * API stages) they belong to, through API Gateway's own operations. `Ref` is the plan's, key's or
 * member key's id; `Fn::GetAtt` gives `Id` (plan, plan key) and `APIKeyId` (key).
 */
import type { Properties, ResourceProvider } from '../provider.js';
import { tagMap } from './common.js';
import { bool, changed, gone, int, list, obj, onlyKnown, str, UnsupportedProperty } from './props.js';

const NOT_FOUND = 'NotFoundException';
type Patch = { op: string; path: string; value?: string };
const setIf = (key: string, v: unknown): Record<string, unknown> => (v === undefined ? {} : { [key]: v });

const PLAN = 'AWS::ApiGateway::UsagePlan';
const PLAN_PROPS = ['UsagePlanName', 'Description', 'ApiStages', 'Throttle', 'Quota', 'Tags'];

const throttleOf = (t: Properties | undefined) => t && { ...setIf('burstLimit', int(t, 'BurstLimit')), ...setIf('rateLimit', t['RateLimit'] === undefined ? undefined : Number(t['RateLimit'])) };
const quotaOf = (q: Properties | undefined) => q && { limit: int(q, 'Limit') ?? 0, offset: int(q, 'Offset') ?? 0, period: str(q, 'Period') ?? 'DAY' };
const apiStagesOf = (props: Properties) =>
  list<Properties>(props, 'ApiStages').map((s) => ({
    apiId: str(s, 'ApiId'),
    stage: str(s, 'Stage'),
    // Per-method throttles, by `/<resource path>/<METHOD>`.
    ...(obj(s, 'Throttle') ? { throttle: Object.fromEntries(Object.entries(obj(s, 'Throttle')!).map(([k, t]) => [k, throttleOf(t as Properties)])) } : {}),
  }));

/** UpdateUsagePlan's patches for what changed; what it cannot patch is named. */
function planPatches(props: Properties, previous: Properties): Patch[] {
  const ops: Patch[] = [];
  if (changed(props, previous, 'UsagePlanName')) ops.push({ op: 'replace', path: '/name', value: str(props, 'UsagePlanName') ?? '' });
  if (changed(props, previous, 'Description')) ops.push({ op: 'replace', path: '/description', value: str(props, 'Description') ?? '' });
  if (changed(props, previous, 'Throttle')) {
    const t = throttleOf(obj(props, 'Throttle'));
    if (!t) throw new UnsupportedProperty(PLAN, 'Throttle', 'removing a plan\'s throttle is not served: set other limits instead.');
    for (const [k, v] of Object.entries(t)) ops.push({ op: 'replace', path: `/throttle/${k}`, value: String(v) });
  }
  if (changed(props, previous, 'Quota')) {
    const q = quotaOf(obj(props, 'Quota'));
    if (!q || q.offset !== (quotaOf(obj(previous, 'Quota'))?.offset ?? 0)) throw new UnsupportedProperty(PLAN, 'Quota', 'removing a quota or changing its offset is not served.');
    ops.push({ op: 'replace', path: '/quota/limit', value: String(q.limit) }, { op: 'replace', path: '/quota/period', value: q.period });
  }
  if (changed(props, previous, 'ApiStages')) {
    const key = (s: { apiId?: string; stage?: string }) => `${s.apiId}:${s.stage}`;
    const want = apiStagesOf(props);
    const had = apiStagesOf(previous);
    for (const s of had) if (!want.some((w) => key(w) === key(s))) ops.push({ op: 'remove', path: '/apiStages', value: key(s) });
    for (const s of want) {
      const before = had.find((h) => key(h) === key(s));
      if (before && JSON.stringify(before) !== JSON.stringify(s)) throw new UnsupportedProperty(PLAN, 'ApiStages.Throttle', 'per-method throttles of a stage already in the plan are not changed in place.');
      if (!before && s.throttle) throw new UnsupportedProperty(PLAN, 'ApiStages.Throttle', 'per-method throttles are set only when the plan is made.');
      if (!before) ops.push({ op: 'add', path: '/apiStages', value: key(s) });
    }
  }
  return ops;
}

const usagePlan: ResourceProvider = {
  replaceOn: [],
  async create(props, ctx) {
    onlyKnown(PLAN, props, PLAN_PROPS);
    const tags = tagMap(props, ctx);
    const made = await ctx.call('apigateway', 'CreateUsagePlan', {
      name: str(props, 'UsagePlanName') ?? ctx.physicalName(128),
      ...setIf('description', str(props, 'Description')),
      apiStages: apiStagesOf(props),
      ...setIf('throttle', throttleOf(obj(props, 'Throttle'))),
      ...setIf('quota', quotaOf(obj(props, 'Quota'))),
      ...(Object.keys(tags).length > 0 ? { tags } : {}),
    });
    const id = String(made['id']);
    return { physicalId: id, attributes: { Id: id } };
  },
  async update(id, props, previous, ctx) {
    onlyKnown(PLAN, props, PLAN_PROPS);
    const patchOperations = planPatches(props, previous);
    if (patchOperations.length > 0) await ctx.call('apigateway', 'UpdateUsagePlan', { usagePlanId: id, patchOperations });
    return { physicalId: id, attributes: { Id: id } };
  },
  async delete(id, _props, ctx) {
    await gone(ctx.call('apigateway', 'DeleteUsagePlan', { usagePlanId: id }), NOT_FOUND);
  },
};

const KEY = 'AWS::ApiGateway::ApiKey';
const KEY_PROPS = ['Name', 'Description', 'Enabled', 'Value', 'CustomerId', 'GenerateDistinctId', 'StageKeys', 'Tags'];
/**
 * `StageKeys` (what SAM's usage plans put on their key) are checked but not stored: whether a key
 * opens a stage is decided by the usage plans it is in, as API Gateway decides it since usage plans.
 */
function checkStageKeys(props: Properties): void {
  for (const k of list<Properties>(props, 'StageKeys')) onlyKnown(`${KEY} StageKeys`, k, ['RestApiId', 'StageName']);
}
const keyProvisioned = (id: string) => ({ physicalId: id, attributes: { APIKeyId: id } });

const apiKey: ResourceProvider = {
  replaceOn: ['Name', 'Value', 'GenerateDistinctId'],
  async create(props, ctx) {
    onlyKnown(KEY, props, KEY_PROPS);
    checkStageKeys(props);
    const tags = tagMap(props, ctx);
    const made = await ctx.call('apigateway', 'CreateApiKey', {
      name: str(props, 'Name') ?? ctx.physicalName(128),
      // CloudFormation's default, as the API's: a key is disabled unless the template enables it.
      enabled: bool(props, 'Enabled') ?? false,
      ...setIf('description', str(props, 'Description')),
      ...setIf('value', str(props, 'Value')),
      ...setIf('customerId', str(props, 'CustomerId')),
      ...(Object.keys(tags).length > 0 ? { tags } : {}),
    });
    return keyProvisioned(String(made['id']));
  },
  async update(id, props, previous, ctx) {
    onlyKnown(KEY, props, KEY_PROPS);
    checkStageKeys(props);
    const ops: Patch[] = [];
    if (changed(props, previous, 'Description')) ops.push({ op: 'replace', path: '/description', value: str(props, 'Description') ?? '' });
    if (changed(props, previous, 'CustomerId')) ops.push({ op: 'replace', path: '/customerId', value: str(props, 'CustomerId') ?? '' });
    if (changed(props, previous, 'Enabled')) ops.push({ op: 'replace', path: '/enabled', value: String(bool(props, 'Enabled') ?? false) });
    if (ops.length > 0) await ctx.call('apigateway', 'UpdateApiKey', { apiKey: id, patchOperations: ops });
    return keyProvisioned(id);
  },
  async delete(id, _props, ctx) {
    await gone(ctx.call('apigateway', 'DeleteApiKey', { apiKey: id }), NOT_FOUND);
  },
};

const PLAN_KEY = 'AWS::ApiGateway::UsagePlanKey';
const planKeyInput = (props: Properties) => ({ usagePlanId: str(props, 'UsagePlanId'), keyId: str(props, 'KeyId') });
const usagePlanKey: ResourceProvider = {
  replaceOn: ['KeyId', 'KeyType', 'UsagePlanId'],
  async create(props, ctx) {
    onlyKnown(PLAN_KEY, props, ['KeyId', 'KeyType', 'UsagePlanId']);
    const made = await ctx.call('apigateway', 'CreateUsagePlanKey', { ...planKeyInput(props), keyType: str(props, 'KeyType') ?? 'API_KEY' });
    const id = String(made['id']);
    return { physicalId: id, attributes: { Id: id } };
  },
  async update(id, props) {
    onlyKnown(PLAN_KEY, props, ['KeyId', 'KeyType', 'UsagePlanId']);
    return { physicalId: id, attributes: { Id: id } };
  },
  async delete(_id, props, ctx) {
    await gone(ctx.call('apigateway', 'DeleteUsagePlanKey', planKeyInput(props)), NOT_FOUND);
  },
};

export const apigatewayKeyProviders: Readonly<Record<string, ResourceProvider>> = {
  [PLAN]: usagePlan,
  [KEY]: apiKey,
  [PLAN_KEY]: usagePlanKey,
};
