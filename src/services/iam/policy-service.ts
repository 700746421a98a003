/** Customer managed policies and their versions (AWS managed ones are only attached, by ARN). */
import type { Clock } from '../../lib/clock.js';
import type { IamStore } from '../../storage/iam-repo.js';
import { IamErrors } from '../../wire/errors.js';
import { edit, page, required } from './documents.js';
import type { IamTag, ManagedPolicyRecord, Page, PolicyVersion } from './model.js';
import { iamArn, nameKey, policyNameOf, uniqueId } from './names.js';
import { checkPolicyDocument } from './policy-document.js';
import { mergeTags, type RoleService } from './role-service.js';

export interface NewPolicy {
  name: string;
  path?: string;
  document: string;
  description?: string;
  tags?: IamTag[];
}

/** A managed policy keeps at most five versions. */
const MAX_VERSIONS = 5;

export class PolicyService {
  constructor(
    private readonly store: IamStore,
    private readonly roles: RoleService,
    private readonly clock: Clock,
    private readonly accountId: string,
  ) {}

  async create(p: NewPolicy): Promise<ManagedPolicyRecord> {
    checkPolicyDocument(p.document);
    const path = p.path ?? '/';
    const now = this.clock.now();
    const policy: ManagedPolicyRecord = {
      name: p.name,
      path,
      policyId: uniqueId('ANPA'),
      arn: iamArn(this.accountId, 'policy', path, p.name),
      ...(p.description !== undefined ? { description: p.description } : {}),
      createdAt: now,
      updatedAt: now,
      defaultVersionId: 'v1',
      nextVersion: 2,
      versions: [{ versionId: 'v1', document: p.document, createdAt: now }],
      tags: mergeTags([], p.tags ?? [], []),
    };
    // Names are unique in the account whatever the path, and ignore case, as in IAM.
    if (!(await this.store.policies.create(nameKey(p.name), policy))) throw IamErrors.policyExists(p.name);
    return policy;
  }

  async get(arn: string): Promise<ManagedPolicyRecord> {
    const policy = await required(this.store.policies, keyOf(arn), () => IamErrors.noSuchPolicy(arn));
    if (policy.arn !== arn) throw IamErrors.noSuchPolicy(arn);
    return policy;
  }

  async version(arn: string, versionId: string): Promise<PolicyVersion> {
    const found = (await this.get(arn)).versions.find((v) => v.versionId === versionId);
    if (!found) throw IamErrors.noSuchPolicyVersion(arn, versionId);
    return found;
  }

  list(pathPrefix: string | undefined, marker: string | undefined, maxItems: number | undefined): Promise<Page<ManagedPolicyRecord>> {
    return page(this.store.policies, (p) => nameKey(p.name), (p) => p.path.startsWith(pathPrefix ?? '/'), marker, maxItems);
  }

  async attachmentCount(arn: string): Promise<number> {
    return (await this.roles.attachedTo(arn)).length;
  }

  /** Refused while attached or while it has versions besides the default, as IAM refuses it. */
  async delete(arn: string): Promise<void> {
    const policy = await this.get(arn);
    if ((await this.attachmentCount(arn)) > 0) throw IamErrors.deleteConflict('Cannot delete a policy attached to entities.');
    if (policy.versions.length > 1) {
      throw IamErrors.deleteConflict("This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.");
    }
    if (!(await this.store.policies.delete(keyOf(arn)))) throw IamErrors.noSuchPolicy(arn);
  }

  async createVersion(arn: string, document: string, setAsDefault: boolean): Promise<PolicyVersion> {
    checkPolicyDocument(document);
    let created: PolicyVersion | undefined;
    await this.edit(arn, (p) => {
      if (p.versions.length >= MAX_VERSIONS) {
        throw IamErrors.limitExceeded('A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.');
      }
      created = { versionId: `v${p.nextVersion}`, document, createdAt: this.clock.now() };
      return {
        ...p,
        versions: [...p.versions, created],
        nextVersion: p.nextVersion + 1,
        updatedAt: created.createdAt,
        ...(setAsDefault ? { defaultVersionId: created.versionId } : {}),
      };
    });
    return created!;
  }

  async deleteVersion(arn: string, versionId: string): Promise<void> {
    await this.edit(arn, (p) => {
      if (!p.versions.some((v) => v.versionId === versionId)) throw IamErrors.noSuchPolicyVersion(arn, versionId);
      if (p.defaultVersionId === versionId) throw IamErrors.deleteConflict('Cannot delete the default version of a policy.');
      return { ...p, versions: p.versions.filter((v) => v.versionId !== versionId) };
    });
  }

  async setDefaultVersion(arn: string, versionId: string): Promise<void> {
    await this.edit(arn, (p) => {
      if (!p.versions.some((v) => v.versionId === versionId)) throw IamErrors.noSuchPolicyVersion(arn, versionId);
      return { ...p, defaultVersionId: versionId, updatedAt: this.clock.now() };
    });
  }

  async tag(arn: string, add: readonly IamTag[], remove: readonly string[]): Promise<void> {
    await this.edit(arn, (p) => ({ ...p, tags: mergeTags(p.tags, add, remove) }));
  }

  private edit(arn: string, change: (p: ManagedPolicyRecord) => ManagedPolicyRecord): Promise<ManagedPolicyRecord> {
    return edit(this.store.policies, keyOf(arn), () => IamErrors.noSuchPolicy(arn), (p) => {
      if (p.arn !== arn) throw IamErrors.noSuchPolicy(arn);
      return change(p);
    });
  }
}

const keyOf = (arn: string): string => nameKey(policyNameOf(arn));
