/** SSM's tagging operations, for parameters (the one resource type Parameter Store has here). */
import type { ParameterService } from '../parameter-service.js';
import { SsmErrors } from '../../../wire/errors.js';
import { typedHandlers, type OperationHandler } from '../../../api/service.js';
import type { SsmInputs } from '../../../wire/inputs/ssm.js';

type Resource = { ResourceType: string; ResourceId: string };

const parameterOf = (i: Resource): string => {
  if (i.ResourceType !== 'Parameter') throw SsmErrors.invalidResourceType();
  return i.ResourceId;
};

export function ssmTagHandlers(parameters: ParameterService): Record<string, OperationHandler> {
  return typedHandlers<SsmInputs>({
    async AddTagsToResource(i) {
      await parameters.tag(parameterOf(i), i.Tags.map((t) => ({ key: t.Key, value: t.Value })), []);
      return {};
    },
    async RemoveTagsFromResource(i) {
      await parameters.tag(parameterOf(i), [], i.TagKeys);
      return {};
    },
    async ListTagsForResource(input) {
      const tags = await parameters.tag(parameterOf(input), [], []);
      return { TagList: tags.map((t) => ({ Key: t.key, Value: t.value })) };
    },
  });
}
