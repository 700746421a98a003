/**
 * An Api's `Auth.UsagePlan`, as samtranslator expands it: with `CreateUsagePlan: PER_API`, a usage plan
 * covering the API's stage, an enabled API key for that stage, and the key in the plan; with `NONE`,
 * nothing. `SHARED` (one plan for every API of the template) is not expanded yet.
 */
import { invalidResource, SamCause } from '../errors.js';
import { isObject, ref, type Json } from '../intrinsics.js';
import { cfn, type CfnResource, type PassThrough } from '../model.js';

const FIELDS = ['CreateUsagePlan', 'Description', 'Quota', 'Tags', 'Throttle', 'UsagePlanName'];

export function usagePlanResources(id: string, usagePlan: Json | undefined, stageId: string, attrs: PassThrough): Array<[string, CfnResource]> {
  if (usagePlan === undefined || usagePlan === null) return [];
  if (!isObject(usagePlan)) throw invalidResource(id, "'UsagePlan' must be a dictionary.");
  if (!Object.keys(usagePlan).every((k) => FIELDS.includes(k))) throw invalidResource(id, "Invalid value for 'UsagePlan' property");
  const mode = usagePlan['CreateUsagePlan'];
  if (mode === 'NONE') return [];
  if (mode === 'SHARED') throw new SamCause(`Resource with id [${id}] uses Auth.UsagePlan with CreateUsagePlan SHARED, which Selfless's SAM transform does not support yet.`);
  if (mode !== 'PER_API') throw invalidResource(id, "'CreateUsagePlan' accepts only PER_API, SHARED or NONE.");
  const planId = `${id}UsagePlan`;
  const keyId = `${id}ApiKey`;
  const plan = cfn(
    'AWS::ApiGateway::UsagePlan',
    {
      ApiStages: [{ ApiId: ref(id), Stage: ref(stageId) }],
      Description: usagePlan['Description'],
      Quota: usagePlan['Quota'],
      Tags: usagePlan['Tags'],
      Throttle: usagePlan['Throttle'],
      UsagePlanName: usagePlan['UsagePlanName'],
    },
    { ...attrs, DependsOn: [id] },
  );
  const key = cfn('AWS::ApiGateway::ApiKey', { Enabled: true, StageKeys: [{ RestApiId: ref(id), StageName: ref(stageId) }] }, { ...attrs, DependsOn: [planId] });
  const planKey = cfn('AWS::ApiGateway::UsagePlanKey', { KeyId: ref(keyId), KeyType: 'API_KEY', UsagePlanId: ref(planId) }, { ...attrs, DependsOn: [keyId] });
  return [[planId, plan], [keyId, key], [`${id}UsagePlanKey`, planKey]];
}
