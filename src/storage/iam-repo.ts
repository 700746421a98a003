/** IAM's store interfaces: documents keyed by lowercased name (IAM's names are unique in an account and ignore case). Implemented in ./sqlite/ and ./postgres/, tested by test/storage/. */
import type { InstanceProfileRecord, ManagedPolicyRecord, RoleRecord } from '../services/iam/model.js';
import type { DocumentRepo } from './secrets-repo.js';

export interface IamStore {
  /** By lowercased role name. */
  readonly roles: DocumentRepo<RoleRecord>;
  /** Customer managed policies, by lowercased name. */
  readonly policies: DocumentRepo<ManagedPolicyRecord>;
  /** By lowercased instance profile name. */
  readonly instanceProfiles: DocumentRepo<InstanceProfileRecord>;
}
