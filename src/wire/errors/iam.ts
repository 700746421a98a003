import { kind, entry, text } from './core.js';

/** IAM's errors (query): each kind's query code is the model's `error.code`. */
const iamKind = (name: string, status: number, queryCode: string) => kind(name, status, { queryCode });
const noSuchEntity = iamKind('NoSuchEntityException', 404, 'NoSuchEntity');
const deleteConflict = iamKind('DeleteConflictException', 409, 'DeleteConflict');
const alreadyExists = iamKind('EntityAlreadyExistsException', 409, 'EntityAlreadyExists');
const limitExceeded = iamKind('LimitExceededException', 409, 'LimitExceeded');
const malformed = iamKind('MalformedPolicyDocumentException', 400, 'MalformedPolicyDocument');
const invalidInput = iamKind('InvalidInputException', 400, 'InvalidInput');

export const IamErrors = {
  noSuchRole: entry(noSuchEntity, (name: string) => `The role with name ${name} cannot be found.`),
  noSuchRolePolicy: entry(noSuchEntity, (name: string) => `The role policy with name ${name} cannot be found.`),
  noSuchPolicy: entry(noSuchEntity, (arn: string) => `Policy ${arn} was not found.`),
  notAttachable: entry(noSuchEntity, (arn: string) => `Policy ${arn} does not exist or is not attachable.`),
  noSuchPolicyVersion: entry(noSuchEntity, (arn: string, version: string) => `Policy ${arn} version ${version} does not exist or is not attachable.`),
  noSuchInstanceProfile: entry(noSuchEntity, (name: string) => `Instance Profile ${name} cannot be found.`),
  noSuchEntity: entry(noSuchEntity, text),
  roleExists: entry(alreadyExists, (name: string) => `Role with name ${name} already exists.`),
  policyExists: entry(alreadyExists, (name: string) => `A policy called ${name} already exists. Duplicate names are not allowed.`),
  instanceProfileExists: entry(alreadyExists, (name: string) => `Instance Profile ${name} already exists.`),
  deleteConflict: entry(deleteConflict, text),
  limitExceeded: entry(limitExceeded, text),
  malformedPolicyDocument: entry(malformed, text),
  invalidInput: entry(invalidInput, text),
} as const;
