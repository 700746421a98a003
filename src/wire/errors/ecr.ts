import { kind, entry, text } from './core.js';

/** ECR's errors (JSON 1.1): every one a 400, as the model's exceptions name no status, but ServerException. */
const ecrKind = (name: string, status = 400) => kind(name, status);
export const EcrErrors = {
  repositoryNotFound: entry(
    ecrKind('RepositoryNotFoundException'),
    (name: string, registryId: string) => `The repository with name '${name}' does not exist in the registry with id '${registryId}'`,
  ),
  repositoryExists: entry(
    ecrKind('RepositoryAlreadyExistsException'),
    (name: string, registryId: string) => `The repository with name '${name}' already exists in the registry with id '${registryId}'`,
  ),
  repositoryPolicyNotFound: entry(
    ecrKind('RepositoryPolicyNotFoundException'),
    (name: string, registryId: string) => `Repository policy does not exist for the repository with name '${name}' in the registry with id '${registryId}'`,
  ),
  lifecyclePolicyNotFound: entry(
    ecrKind('LifecyclePolicyNotFoundException'),
    (name: string, registryId: string) => `Lifecycle policy does not exist for the repository with name '${name}' in the registry with id '${registryId}'`,
  ),
  invalidParameter: entry(ecrKind('InvalidParameterException'), text),
  invalidTagParameter: entry(ecrKind('InvalidTagParameterException'), text),
  tooManyTags: entry(ecrKind('TooManyTagsException'), text),
} as const;
