/** Handlers of deployments and stages. */
import type { OperationHandler } from '../../api/service.js';
import { fields, type In } from './inputs.js';
import { page } from './handlers-apis.js';
import { renderDeployment, renderStage } from './render.js';
import type { StageInput, StageService } from './stages.js';


export function stageHandlers(stages: StageService): Record<string, OperationHandler> {
  return {
    CreateDeployment: async (i: In) => {
      const input: Parameters<StageService['createDeployment']>[1] = fields(i, ['stageName', 'stageDescription', 'description', 'variables']);
      return renderDeployment(await stages.createDeployment(i['restApiId'], input));
    },
    GetDeployment: async (i: In) => renderDeployment(await stages.deployment(i['restApiId'], i['deploymentId'])),
    GetDeployments: async (i: In) => page(await stages.deployments(i['restApiId']), i, renderDeployment),
    DeleteDeployment: async (i: In) => {
      await stages.deleteDeployment(i['restApiId'], i['deploymentId']);
      return {};
    },
    CreateStage: async (i: In) => {
      const input: StageInput = { stageName: i['stageName'], deploymentId: i['deploymentId'], ...fields(i, ['description', 'variables', 'tracingEnabled', 'cacheClusterEnabled', 'tags']) };
      return renderStage(await stages.createStage(i['restApiId'], input));
    },
    GetStage: async (i: In) => renderStage(await stages.stage(i['restApiId'], i['stageName'])),
    GetStages: async (i: In) => ({ item: (await stages.stages(i['restApiId'], i['deploymentId'])).map(renderStage) }),
    UpdateStage: async (i: In) => renderStage(await stages.updateStage(i['restApiId'], i['stageName'], i['patchOperations'])),
    DeleteStage: async (i: In) => {
      await stages.deleteStage(i['restApiId'], i['stageName']);
      return {};
    },
  };
}
