import { kind, entry, text } from './core.js';

// --- Secrets: Secrets Manager, SSM Parameter Store and KMS (json 1.1) ---

const secretsManager = {
  notFound: kind('ResourceNotFoundException', 400),
  exists: kind('ResourceExistsException', 400),
  invalidRequest: kind('InvalidRequestException', 400),
};

/** Secrets Manager's errors. */
export const SecretsManagerErrors = {
  secretNotFound: entry(secretsManager.notFound, () => "Secrets Manager can't find the specified secret."),
  versionNotFound: entry(
    secretsManager.notFound,
    (by: 'VersionId' | 'staging label', value: string) => `Secrets Manager can't find the specified secret value for ${by}: ${value}`,
  ),
  secretExists: entry(secretsManager.exists, (name: string) => `The operation failed because the secret ${name} already exists.`),
  versionExists: entry(secretsManager.exists, () => "You can't modify an existing version, you can only create a new version."),
  invalidRequest: entry(secretsManager.invalidRequest, text),
  markedForDeletion: entry(secretsManager.invalidRequest, () => "You can't perform this operation on the secret because it was marked for deletion."),
  invalidParameter: entry(kind('InvalidParameterException', 400), text),
  invalidNextToken: entry(kind('InvalidNextTokenException', 400), () => 'The NextToken value is invalid.'),
  encryptionFailure: entry(kind('EncryptionFailure', 400), text),
  decryptionFailure: entry(kind('DecryptionFailure', 400), text),
} as const;

/** SSM Parameter Store's errors. */
export const SsmErrors = {
  parameterNotFound: entry(kind('ParameterNotFound', 400), (name: string) => `Parameter ${name} not found.`),
  parameterExists: entry(
    kind('ParameterAlreadyExists', 400),
    () => 'The parameter already exists. To overwrite this value, set the overwrite option in the request to true.',
  ),
  versionNotFound: entry(
    kind('ParameterVersionNotFound', 400),
    (name: string, version: string) => `Systems Manager could not find version ${version} of ${name}. Verify the version and try again.`,
  ),
  labelLimitExceeded: entry(
    kind('ParameterVersionLabelLimitExceeded', 400),
    () => 'A parameter version can have maximum 10 labels.Move one or more labels to another version and try again.',
  ),
  maxVersionLimitExceeded: entry(kind('ParameterMaxVersionLimitExceeded', 400), text),
  invalidKeyId: entry(kind('InvalidKeyId', 400), text),
  invalidFilterKey: entry(kind('InvalidFilterKey', 400), text),
  invalidFilterOption: entry(kind('InvalidFilterOption', 400), text),
  invalidFilterValue: entry(kind('InvalidFilterValue', 400), text),
  invalidNextToken: entry(kind('InvalidNextToken', 400), () => 'The specified token is not valid.'),
  validation: entry(kind('ValidationException', 400), text),
  hierarchyLevelLimitExceeded: entry(
    kind('HierarchyLevelLimitExceededException', 400),
    () => 'A hierarchy can have a maximum of 15 levels.',
  ),
  patternMismatch: entry(
    kind('ParameterPatternMismatchException', 400),
    (pattern: string) => `Parameter value, cannot be validated against allowedPattern: ${pattern}`,
  ),
  invalidAllowedPattern: entry(kind('InvalidAllowedPatternException', 400), text),
  invalidResourceId: entry(kind('InvalidResourceId', 400), () => 'The resource ID is not valid. Verify that the ID is correct and try again.'),
  invalidResourceType: entry(kind('InvalidResourceType', 400), () => 'The resource type is not valid. Selfless tags parameters only (ResourceType Parameter).'),
  tooManyTags: entry(kind('TooManyTagsError', 400), () => 'The Targets parameter includes too many tags. Remove one or more tags and try the command again.'),
} as const;

/** KMS's errors. */
export const KmsErrors = {
  notFound: entry(kind('NotFoundException', 400), text),
  disabled: entry(kind('DisabledException', 400), (arn: string) => `${arn} is disabled.`),
  invalidState: entry(kind('KMSInvalidStateException', 400), text),
  aliasExists: entry(kind('AlreadyExistsException', 400), (aliasArn: string) => `An alias with the name ${aliasArn} already exists`),
  invalidAliasName: entry(kind('InvalidAliasNameException', 400), text),
  invalidCiphertext: entry(kind('InvalidCiphertextException', 400), () => ''),
  incorrectKey: entry(
    kind('IncorrectKeyException', 400),
    () => 'The key ID in the request does not identify a CMK that can perform this operation.',
  ),
  invalidMarker: entry(kind('InvalidMarkerException', 400), () => 'The marker is not valid.'),
  unsupportedOperation: entry(kind('UnsupportedOperationException', 400), text),
} as const;
// --- end of secrets ---
