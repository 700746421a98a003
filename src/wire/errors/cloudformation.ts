import { entry, kind, text } from './core.js';

/**
 * CloudFormation's errors (query). Most refusals are `ValidationError`, which AWS sends though no
 * model lists it; the waiters match on it.
 */
const validation = kind('ValidationError', 400, { outsideModel: 'CloudFormation answers most refusals with ValidationError, which its model does not list' });
export const CloudFormationErrors = {
  validation: entry(validation, text),
  stackNotFound: entry(validation, (nameOrId: string) => `Stack with id ${nameOrId} does not exist`),
  alreadyExists: entry(kind('AlreadyExistsException', 400), (name: string) => `Stack [${name}] already exists`),
  insufficientCapabilities: entry(kind('InsufficientCapabilitiesException', 400), (caps: string) => `Requires capabilities : [${caps}]`),
  changeSetNotFound: entry(kind('ChangeSetNotFoundException', 404, { queryCode: 'ChangeSetNotFound' }), (name: string) => `ChangeSet [${name}] does not exist`),
  invalidChangeSetStatus: entry(kind('InvalidChangeSetStatusException', 400, { queryCode: 'InvalidChangeSetStatus' }), text),
  tokenAlreadyExists: entry(kind('TokenAlreadyExistsException', 400), text),
  limitExceeded: entry(kind('LimitExceededException', 400), text),
} as const;
