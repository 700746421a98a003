/** Handlers of API keys and usage plans. */
import type { OperationHandler } from '../../api/service.js';
import { fields, type In } from './inputs.js';
import { ApiGatewayErrors } from '../../wire/errors.js';
import { page } from './handlers-apis.js';
import type { ApiKeyInput, KeyService, UsagePlanInput } from './keys.js';
import { applyPatches, boolValue, numberValue, valueOf } from './patch.js';
import { renderApiKey, renderUsagePlan, renderUsagePlanKey } from './render.js';


export function keyHandlers(keys: KeyService): Record<string, OperationHandler> {
  return {
    CreateApiKey: async (i: In) => {
      const input: ApiKeyInput = fields(i, ['name', 'description', 'enabled', 'value', 'customerId', 'tags']);
      return renderApiKey(await keys.createKey(input), true);
    },
    GetApiKey: async (i: In) => renderApiKey(await keys.key(i['apiKey']), i['includeValue'] === true),
    GetApiKeys: async (i: In) => {
      const all = (await keys.keys(i['nameQuery'])).filter((k) => i['customerId'] === undefined || k.customerId === i['customerId']);
      return page(all, i, (k) => renderApiKey(k, i['includeValues'] === true));
    },
    UpdateApiKey: async (i: In) => {
      const key = await keys.writeKey(i['apiKey'], (k) =>
        applyPatches(i['patchOperations'], (op, [field]) => {
          if (field === 'name' || field === 'description' || field === 'customerId') k[field] = valueOf(op);
          else if (field === 'enabled') k.enabled = boolValue(op);
          else return false;
          return true;
        }),
      );
      return renderApiKey(key, false);
    },
    DeleteApiKey: async (i: In) => {
      await keys.deleteKey(i['apiKey']);
      return {};
    },

    CreateUsagePlan: async (i: In) => {
      const input: UsagePlanInput = { name: i['name'], ...fields(i, ['description', 'apiStages', 'throttle', 'quota', 'tags']) };
      if (input.quota) input.quota = { ...input.quota, offset: input.quota.offset ?? 0 };
      return renderUsagePlan(await keys.createPlan(input));
    },
    GetUsagePlan: async (i: In) => renderUsagePlan(await keys.plan(i['usagePlanId'])),
    GetUsagePlans: async (i: In) => page(await keys.plans(i['keyId']), i, renderUsagePlan),
    UpdateUsagePlan: async (i: In) => {
      const plan = await keys.writePlan(i['usagePlanId'], (p) =>
        applyPatches(i['patchOperations'], (op, [field, sub]) => {
          if (field === 'name' || field === 'description') p[field] = valueOf(op);
          else if (field === 'throttle' && (sub === 'rateLimit' || sub === 'burstLimit')) p.throttle = { ...p.throttle, [sub]: numberValue(op) };
          else if (field === 'quota' && sub === 'limit') p.quota = { offset: 0, period: 'DAY', ...p.quota, limit: numberValue(op) };
          else if (field === 'quota' && sub === 'period') p.quota = { offset: 0, limit: 0, ...p.quota, period: valueOf(op) as 'DAY' };
          else if (field === 'apiStages' && op.op === 'add') {
            const [apiId, stage] = valueOf(op).split(':') as [string, string];
            p.apiStages.push({ apiId, stage });
          } else if (field === 'apiStages' && op.op === 'remove') {
            p.apiStages = p.apiStages.filter((s) => `${s.apiId}:${s.stage}` !== op.value);
          } else return false;
          return true;
        }),
      );
      return renderUsagePlan(plan);
    },
    DeleteUsagePlan: async (i: In) => {
      await keys.deletePlan(i['usagePlanId']);
      return {};
    },
    CreateUsagePlanKey: async (i: In) => renderUsagePlanKey(await keys.addKey(i['usagePlanId'], i['keyId'], i['keyType'])),
    GetUsagePlanKeys: async (i: In) => {
      const plan = await keys.plan(i['usagePlanId']);
      const members = await Promise.all(plan.keyIds.map((id) => keys.key(id)));
      return page(members.filter((k) => i['nameQuery'] === undefined || k.name.startsWith(i['nameQuery'])), i, renderUsagePlanKey);
    },
    GetUsagePlanKey: async (i: In) => {
      const plan = await keys.plan(i['usagePlanId']);
      if (!plan.keyIds.includes(i['keyId'])) throw ApiGatewayErrors.notFound('Invalid API Key identifier specified');
      return renderUsagePlanKey(await keys.key(i['keyId']));
    },
    DeleteUsagePlanKey: async (i: In) => {
      await keys.removeKey(i['usagePlanId'], i['keyId']);
      return {};
    },
  };
}
