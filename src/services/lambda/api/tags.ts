/**
 * TagResource, UntagResource and ListTags on the resources Lambda tags that Selfless keeps: functions,
 * event source mappings and capacity providers, named by their ARNs.
 */
import type { CapacityProviderService } from '../../../functions/capacity-provider-service.js';
import type { EventSourceMappingService } from '../../../event-sources/mapping-service.js';
import type { FunctionService } from '../../../functions/function-service.js';
import { parseFunctionRef, type Account } from '../../../wire/arn.js';
import { Errors } from '../../../wire/errors.js';
import { typedHandlers, type OperationHandler } from '../../../api/service.js';
import type { LambdaInputs } from '../../../wire/inputs/lambda.js';


interface Tagged {
  get(): Promise<Record<string, string>>;
  set(tags: Record<string, string>): Promise<void>;
}

const MAPPING_ARN = /^arn:[^:]+:lambda:([^:]+):(\d{12}):event-source-mapping:([0-9a-fA-F-]{36})$/;

export function tagHandlers(functions: FunctionService, mappings: EventSourceMappingService, providers: CapacityProviderService, account: Account): Record<string, OperationHandler> {
  const tagged = (resource: string): Tagged => {
    const mapping = MAPPING_ARN.exec(resource);
    if (mapping) {
      if (mapping[1] !== account.region || mapping[2] !== account.accountId) throw Errors.resourceNotFound('The resource you requested does not exist.');
      const uuid = mapping[3]!;
      return { get: async () => mappings.get(uuid).mapping.tags, set: (tags) => mappings.setTags(uuid, tags) };
    }
    if (resource.includes(':capacity-provider:')) {
      return { get: async () => (await providers.get(resource)).tags, set: (tags) => providers.setTags(resource, tags) };
    }
    if (!resource.includes(':function:')) throw Errors.invalidParameter(`Tags are supported on functions, event source mappings and capacity providers only, not on ${resource}.`);
    const name = parseFunctionRef(account, resource).name;
    return { get: async () => (await functions.get(name)).tags, set: async (tags) => void (await functions.setTags(name, tags)) };
  };

  return typedHandlers<LambdaInputs>({
    async TagResource(i) {
      const t = tagged(i.Resource);
      await t.set({ ...(await t.get()), ...(i.Tags ?? {}) });
      return {};
    },
    async UntagResource(i) {
      const t = tagged(i.Resource);
      const tags = { ...(await t.get()) };
      for (const k of i.TagKeys ?? []) delete tags[k];
      await t.set(tags);
      return {};
    },
    async ListTags(input) {
      return { Tags: await tagged(input.Resource).get() };
    },
  });
}
