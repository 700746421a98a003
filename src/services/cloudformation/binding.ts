/** The CloudFormation service binding (query protocol); operations without a handler answer 501 NotImplemented. */
import type { ServiceBinding } from '../../api/service.js';
import { cloudformationServiceModel } from '../../wire/model.js';
import { changeSetHandlers } from './api/change-set-handlers.js';
import { stackHandlers } from './api/stack-handlers.js';
import { templateHandlers } from './api/template-handlers.js';
import type { CloudFormationSystem } from './cloudformation-system.js';

export function cloudformationBinding(cfn: CloudFormationSystem): ServiceBinding {
  return {
    models: [cloudformationServiceModel],
    handlers: { ...stackHandlers(cfn.stacks), ...changeSetHandlers(cfn.changeSets), ...templateHandlers(cfn.stacks, cfn.changeSets) },
  };
}
