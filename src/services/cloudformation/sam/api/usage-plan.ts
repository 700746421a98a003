/**
 * An Api's `Auth.UsagePlan`, as samtranslator expands it: with `CreateUsagePlan: PER_API`, a usage plan
 * covering the API's stage, an enabled API key for that stage, and the key in the plan; with `NONE`,
 * nothing; with `SHARED`, one plan, key and plan key for every such API of the template (each API
 * re-emits them with the stages so far, the last one standing). A shared plan over APIs with
 * conditions or deletion policies (which samtranslator combines) is refused for now.
 */
import { invalidResource, SamCause } from '../errors.js';
import { isObject, ref, type Json } from '../intrinsics.js';
import { cfn, type CfnResource, type PassThrough } from '../model.js';
import type { Translation } from '../translation.js';

const FIELDS = ['CreateUsagePlan', 'Description', 'Quota', 'Tags', 'Throttle', 'UsagePlanName'];

const truthy = (v: Json | undefined): Json | undefined =>
  v === undefined || v === null || v === '' || v === false || v === 0 || (Array.isArray(v) && v.length === 0) || (isObject(v) && Object.keys(v).length === 0) ? undefined : v;

export function usagePlanResources(id: string, usagePlan: Json | undefined, stageId: string, attrs: PassThrough, t: Translation): Array<[string, CfnResource]> {
  if (usagePlan === undefined || usagePlan === null) return [];
  if (!isObject(usagePlan)) throw invalidResource(id, "'UsagePlan' must be a dictionary");
  if (!Object.keys(usagePlan).every((k) => FIELDS.includes(k))) throw invalidResource(id, "Invalid property for 'UsagePlan'");
  const mode = usagePlan['CreateUsagePlan'];
  if (mode === undefined || mode === null) throw invalidResource(id, "'CreateUsagePlan' is a required field for UsagePlan.");
  if (mode !== 'PER_API' && mode !== 'SHARED' && mode !== 'NONE') throw invalidResource(id, "'CreateUsagePlan' accepts one of ['SHARED', 'PER_API', 'NONE'].");
  if (mode === 'NONE') return [];
  const shared = mode === 'SHARED';
  if (shared && Object.values(attrs).some((v) => v !== undefined)) {
    throw new SamCause(`Resource with id [${id}] uses a SHARED usage plan with Condition, DeletionPolicy or UpdateReplacePolicy, which Selfless's SAM transform does not support yet.`);
  }
  if (shared && !t.sharedUsagePlan.apis.includes(id)) {
    t.sharedUsagePlan.apis.push(id);
    t.sharedUsagePlan.stages.push(stageId);
  }
  const apis = shared ? t.sharedUsagePlan.apis.map((api, i) => [api, t.sharedUsagePlan.stages[i]!] as const) : ([[id, stageId]] as const);
  const planId = shared ? 'ServerlessUsagePlan' : `${id}UsagePlan`;
  const keyId = shared ? 'ServerlessApiKey' : `${id}ApiKey`;
  const plan = cfn(
    'AWS::ApiGateway::UsagePlan',
    {
      ApiStages: apis.map(([api, stage]) => ({ ApiId: ref(api), Stage: ref(stage) })),
      // samtranslator copies only the settings that are truthy (Python's `if value`).
      Description: truthy(usagePlan['Description']),
      Quota: truthy(usagePlan['Quota']),
      Tags: truthy(usagePlan['Tags']),
      Throttle: truthy(usagePlan['Throttle']),
      UsagePlanName: truthy(usagePlan['UsagePlanName']),
    },
    { ...attrs, DependsOn: apis.map(([api]) => api) },
  );
  const key = cfn('AWS::ApiGateway::ApiKey', { Enabled: true, StageKeys: apis.map(([api, stage]) => ({ RestApiId: ref(api), StageName: ref(stage) })) }, { ...attrs, DependsOn: [planId] });
  const planKey = cfn('AWS::ApiGateway::UsagePlanKey', { KeyId: ref(keyId), KeyType: 'API_KEY', UsagePlanId: ref(planId) }, { ...attrs, DependsOn: [keyId] });
  return [[planId, plan], [keyId, key], [shared ? 'ServerlessUsagePlanKey' : `${id}UsagePlanKey`, planKey]];
}
