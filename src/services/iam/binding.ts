/**
 * IAM (query protocol, global): roles, managed policies and instance profiles, stored so that stacks
 * and tools can create and read them. Policies are kept, not evaluated: no request is refused by them yet.
 */
import type { ServiceBinding } from '../../api/service.js';
import type { Clock } from '../../lib/clock.js';
import type { IamStore } from '../../storage/iam-repo.js';
import { iamServiceModel } from '../../wire/model.js';
import { InstanceProfileService } from './instance-profiles.js';
import { instanceProfileHandlers, policyHandlers } from './policy-handlers.js';
import { PolicyService } from './policy-service.js';
import { roleHandlers } from './role-handlers.js';
import { RoleService } from './role-service.js';

export function iamBinding(store: IamStore, clock: Clock, accountId: string): ServiceBinding {
  const roles = new RoleService(store, clock, accountId);
  const policies = new PolicyService(store, roles, clock, accountId);
  const profiles = new InstanceProfileService(store, roles, clock, accountId);
  return {
    models: [iamServiceModel],
    handlers: { ...roleHandlers(roles), ...policyHandlers(policies), ...instanceProfileHandlers(profiles, roles) },
  };
}
