/** Template operations: GetTemplate, ValidateTemplate, GetTemplateSummary. */
import { typedHandlers, type OperationHandler } from '../../../api/service.js';
import type { ChangeSets } from '../change-sets.js';
import type { Stacks } from '../stacks.js';
import { summarise } from '../template/summary.js';
import type { CloudformationInputs } from '../../../wire/inputs/cloudformation.js';

export function templateHandlers(stacks: Stacks, changeSets: ChangeSets): Record<string, OperationHandler> {
  return typedHandlers<CloudformationInputs>({
    async GetTemplate(i) {
      if (i.ChangeSetName !== undefined) return { TemplateBody: (await changeSets.require(i.ChangeSetName, i.StackName)).templateBody, StagesAvailable: ['Original', 'Processed'] };
      const stack = await stacks.require(i.StackName ?? '');
      const body = i.TemplateStage === 'Processed' ? (stack.processedBody ?? stack.templateBody) : stack.templateBody;
      return { TemplateBody: body, StagesAvailable: ['Original', 'Processed'] };
    },
    async ValidateTemplate(i) {
      const s = summarise(await stacks.bodyOf({ templateBody: i.TemplateBody, templateUrl: i.TemplateURL }));
      return {
        Parameters: s.parameters.map((p) => ({ ParameterKey: p.key, NoEcho: p.noEcho, ...(p.defaultValue !== undefined ? { DefaultValue: p.defaultValue } : {}), ...(p.description !== undefined ? { Description: p.description } : {}) })),
        ...(s.description !== undefined ? { Description: s.description } : {}),
        Capabilities: s.capabilities,
        ...(s.capabilitiesReason !== undefined ? { CapabilitiesReason: s.capabilitiesReason } : {}),
        DeclaredTransforms: s.transforms,
      };
    },
    async GetTemplateSummary(i) {
      const body = i.StackName !== undefined ? (await stacks.require(i.StackName)).templateBody : await stacks.bodyOf({ templateBody: i.TemplateBody, templateUrl: i.TemplateURL });
      const s = summarise(body);
      return {
        Parameters: s.parameters.map((p) => ({
          ParameterKey: p.key,
          ParameterType: p.type,
          NoEcho: p.noEcho,
          ...(p.defaultValue !== undefined ? { DefaultValue: p.defaultValue } : {}),
          ...(p.description !== undefined ? { Description: p.description } : {}),
          ParameterConstraints: p.allowedValues ? { AllowedValues: p.allowedValues } : {},
        })),
        ...(s.description !== undefined ? { Description: s.description } : {}),
        Capabilities: s.capabilities,
        ...(s.capabilitiesReason !== undefined ? { CapabilitiesReason: s.capabilitiesReason } : {}),
        ResourceTypes: s.resourceTypes,
        ...(s.version !== undefined ? { Version: s.version } : {}),
        ...(s.metadata !== undefined ? { Metadata: s.metadata } : {}),
        DeclaredTransforms: s.transforms,
      };
    },
  });
}
