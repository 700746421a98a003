/** ECR's store interface: repositories by name. Implemented in ./sqlite/ and ./postgres/, tested by test/storage/. */
import type { RepositoryRecord } from '../services/ecr/model.js';
import type { DocumentRepo } from './secrets-repo.js';

export interface EcrStore {
  readonly repositories: DocumentRepo<RepositoryRecord>;
}
