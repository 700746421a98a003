/**
 * An Api's `Auth.UsagePlan`, as samtranslator expands it: with `CreateUsagePlan: PER_API`, a usage plan
 * covering the API's stage, an enabled API key for that stage, and the key in the plan; with `NONE`,
 * nothing. `SHARED` (one plan for every API of the template) is not expanded yet.
 */
import { invalidResource, SamCause } from '../errors.js';
import { isObject, ref, type Json } from '../intrinsics.js';
import { cfn, type CfnResource, type PassThrough } from '../model.js';

const FIELDS = ['CreateUsagePlan', 'Description', 'Quota', 'Tags', 'Throttle', 'UsagePlanName'];

const truthy = (v: Json | undefined): Json | undefined =>
  v === undefined || v === null || v === '' || v === false || v === 0 || (Array.isArray(v) && v.length === 0) || (isObject(v) && Object.keys(v).length === 0) ? undefined : v;

export function usagePlanResources(id: string, usagePlan: Json | undefined, stageId: string, attrs: PassThrough): Array<[string, CfnResource]> {
  if (usagePlan === undefined || usagePlan === null) return [];
  if (!isObject(usagePlan)) throw invalidResource(id, "'UsagePlan' must be a dictionary");
  if (!Object.keys(usagePlan).every((k) => FIELDS.includes(k))) throw invalidResource(id, "Invalid property for 'UsagePlan'");
  const mode = usagePlan['CreateUsagePlan'];
  if (mode === undefined || mode === null) throw invalidResource(id, "'CreateUsagePlan' is a required field for UsagePlan.");
  if (mode !== 'PER_API' && mode !== 'SHARED' && mode !== 'NONE') throw invalidResource(id, "'CreateUsagePlan' accepts one of ['SHARED', 'PER_API', 'NONE'].");
  if (mode === 'NONE') return [];
  if (mode === 'SHARED') throw new SamCause(`Resource with id [${id}] uses Auth.UsagePlan with CreateUsagePlan SHARED, which Selfless's SAM transform does not support yet.`);
  const planId = `${id}UsagePlan`;
  const keyId = `${id}ApiKey`;
  const plan = cfn(
    'AWS::ApiGateway::UsagePlan',
    {
      ApiStages: [{ ApiId: ref(id), Stage: ref(stageId) }],
      // samtranslator copies only the settings that are truthy (Python's `if value`).
      Description: truthy(usagePlan['Description']),
      Quota: truthy(usagePlan['Quota']),
      Tags: truthy(usagePlan['Tags']),
      Throttle: truthy(usagePlan['Throttle']),
      UsagePlanName: truthy(usagePlan['UsagePlanName']),
    },
    { ...attrs, DependsOn: [id] },
  );
  const key = cfn('AWS::ApiGateway::ApiKey', { Enabled: true, StageKeys: [{ RestApiId: ref(id), StageName: ref(stageId) }] }, { ...attrs, DependsOn: [planId] });
  const planKey = cfn('AWS::ApiGateway::UsagePlanKey', { KeyId: ref(keyId), KeyType: 'API_KEY', UsagePlanId: ref(planId) }, { ...attrs, DependsOn: [keyId] });
  return [[planId, plan], [keyId, key], [`${id}UsagePlanKey`, planKey]];
}
