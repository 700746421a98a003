/** SSM's tagging operations, for parameters (the one resource type Parameter Store has here). */
import type { ParameterService } from '../parameter-service.js';
import { SsmErrors } from '../../../wire/errors.js';
import type { OperationHandler } from '../../../api/service.js';

type Resource = { ResourceType: string; ResourceId: string };
type WireTag = { Key: string; Value: string };

const parameterOf = (i: Resource): string => {
  if (i.ResourceType !== 'Parameter') throw SsmErrors.invalidResourceType();
  return i.ResourceId;
};

export function ssmTagHandlers(parameters: ParameterService): Record<string, OperationHandler> {
  return {
    async AddTagsToResource(input) {
      const i = input as Resource & { Tags: WireTag[] };
      await parameters.tag(parameterOf(i), i.Tags.map((t) => ({ key: t.Key, value: t.Value })), []);
      return {};
    },
    async RemoveTagsFromResource(input) {
      const i = input as Resource & { TagKeys: string[] };
      await parameters.tag(parameterOf(i), [], i.TagKeys);
      return {};
    },
    async ListTagsForResource(input) {
      const tags = await parameters.tag(parameterOf(input as Resource), [], []);
      return { TagList: tags.map((t) => ({ Key: t.key, Value: t.value })) };
    },
  };
}
