/** IAM roles: their trust policy, tags, inline policies and the managed policies attached to them. */
import type { Clock } from '../../lib/clock.js';
import type { IamStore } from '../../storage/iam-repo.js';
import { IamErrors } from '../../wire/errors.js';
import { edit, every, page, required } from './documents.js';
import type { IamTag, Page, RoleRecord } from './model.js';
import { iamArn, isAwsManagedPolicy, nameKey, policyNameOf, uniqueId } from './names.js';
import { checkPolicyDocument } from './policy-document.js';

export interface NewRole {
  name: string;
  path?: string;
  assumeRolePolicy: string;
  description?: string;
  maxSessionDuration?: number;
  permissionsBoundary?: string;
  tags?: IamTag[];
}

/** IAM allows 50 tags on a role. */
const MAX_TAGS = 50;

export class RoleService {
  constructor(
    private readonly store: IamStore,
    private readonly clock: Clock,
    private readonly accountId: string,
  ) {}

  async create(r: NewRole): Promise<RoleRecord> {
    checkPolicyDocument(r.assumeRolePolicy);
    const path = r.path ?? '/';
    const role: RoleRecord = {
      name: r.name,
      path,
      roleId: uniqueId('AROA'),
      arn: iamArn(this.accountId, 'role', path, r.name),
      createdAt: this.clock.now(),
      assumeRolePolicy: r.assumeRolePolicy,
      ...(r.description !== undefined ? { description: r.description } : {}),
      maxSessionDuration: r.maxSessionDuration ?? 3600,
      ...(r.permissionsBoundary !== undefined ? { permissionsBoundary: r.permissionsBoundary } : {}),
      tags: mergeTags([], r.tags ?? [], []),
      inlinePolicies: [],
      attachedPolicies: [],
    };
    if (!(await this.store.roles.create(nameKey(r.name), role))) throw IamErrors.roleExists(r.name);
    return role;
  }

  get(name: string): Promise<RoleRecord> {
    return required(this.store.roles, nameKey(name), () => IamErrors.noSuchRole(name));
  }

  list(pathPrefix: string | undefined, marker: string | undefined, maxItems: number | undefined): Promise<Page<RoleRecord>> {
    return page(this.store.roles, (r) => nameKey(r.name), (r) => r.path.startsWith(pathPrefix ?? '/'), marker, maxItems);
  }

  /** Refused while the role has policies or sits in an instance profile, as IAM refuses it. */
  async delete(name: string): Promise<void> {
    const role = await this.get(name);
    if (role.inlinePolicies.length > 0) throw IamErrors.deleteConflict('Cannot delete entity, must delete policies first.');
    if (role.attachedPolicies.length > 0) throw IamErrors.deleteConflict('Cannot delete entity, must detach all policies first.');
    const profiles = await every(this.store.instanceProfiles, (p) => nameKey(p.name), (p) => p.roles.some((r) => nameKey(r) === nameKey(name)));
    if (profiles.length > 0) throw IamErrors.deleteConflict('Cannot delete entity, must remove roles from instance profile first.');
    if (!(await this.store.roles.delete(nameKey(name)))) throw IamErrors.noSuchRole(name);
  }

  async update(name: string, change: { description?: string; maxSessionDuration?: number }): Promise<void> {
    await this.edit(name, (r) => ({
      ...r,
      ...(change.description !== undefined ? { description: change.description } : {}),
      ...(change.maxSessionDuration !== undefined ? { maxSessionDuration: change.maxSessionDuration } : {}),
    }));
  }

  /** Sets (an ARN) or removes (undefined) the role's permissions boundary, kept like its policies: not enforced. */
  async setPermissionsBoundary(name: string, arn: string | undefined): Promise<void> {
    await this.edit(name, ({ permissionsBoundary: _old, ...r }) => ({ ...r, ...(arn !== undefined ? { permissionsBoundary: arn } : {}) }));
  }

  async updateAssumeRolePolicy(name: string, document: string): Promise<void> {
    checkPolicyDocument(document);
    await this.edit(name, (r) => ({ ...r, assumeRolePolicy: document }));
  }

  async tag(name: string, add: readonly IamTag[], remove: readonly string[]): Promise<void> {
    await this.edit(name, (r) => ({ ...r, tags: mergeTags(r.tags, add, remove) }));
  }

  async putInlinePolicy(name: string, policyName: string, document: string): Promise<void> {
    checkPolicyDocument(document);
    await this.edit(name, (r) => {
      const others = r.inlinePolicies.filter((p) => p.name !== policyName);
      const at = r.inlinePolicies.findIndex((p) => p.name === policyName);
      const inlinePolicies = at === -1 ? [...others, { name: policyName, document }] : r.inlinePolicies.map((p, i) => (i === at ? { name: policyName, document } : p));
      return { ...r, inlinePolicies };
    });
  }

  async inlinePolicy(name: string, policyName: string): Promise<string> {
    const found = (await this.get(name)).inlinePolicies.find((p) => p.name === policyName);
    if (!found) throw IamErrors.noSuchRolePolicy(policyName);
    return found.document;
  }

  async deleteInlinePolicy(name: string, policyName: string): Promise<void> {
    await this.edit(name, (r) => {
      if (!r.inlinePolicies.some((p) => p.name === policyName)) throw IamErrors.noSuchRolePolicy(policyName);
      return { ...r, inlinePolicies: r.inlinePolicies.filter((p) => p.name !== policyName) };
    });
  }

  /** AWS managed policies attach without existing here; a customer's must exist. Attaching twice is no change. */
  async attach(name: string, policyArn: string): Promise<void> {
    await this.get(name);
    if (!isAwsManagedPolicy(policyArn) && (await this.store.policies.get(nameKey(policyNameOf(policyArn))))?.value.arn !== policyArn) throw IamErrors.notAttachable(policyArn);
    await this.edit(name, (r) => (r.attachedPolicies.includes(policyArn) ? r : { ...r, attachedPolicies: [...r.attachedPolicies, policyArn] }));
  }

  async detach(name: string, policyArn: string): Promise<void> {
    await this.edit(name, (r) => {
      if (!r.attachedPolicies.includes(policyArn)) throw IamErrors.noSuchPolicy(policyArn);
      return { ...r, attachedPolicies: r.attachedPolicies.filter((a) => a !== policyArn) };
    });
  }

  /** The roles a managed policy is attached to. */
  attachedTo(policyArn: string): Promise<RoleRecord[]> {
    return every(this.store.roles, (r) => nameKey(r.name), (r) => r.attachedPolicies.includes(policyArn));
  }

  private edit(name: string, change: (r: RoleRecord) => RoleRecord): Promise<RoleRecord> {
    return edit(this.store.roles, nameKey(name), () => IamErrors.noSuchRole(name), change);
  }
}

/** Tags after adding `add` (a key given again takes the new value) and removing `remove`. */
export function mergeTags(tags: readonly IamTag[], add: readonly IamTag[], remove: readonly string[]): IamTag[] {
  const byKey = new Map(tags.map((t) => [t.key, t.value]));
  for (const t of add) byKey.set(t.key, t.value);
  for (const k of remove) byKey.delete(k);
  if (byKey.size > MAX_TAGS) throw IamErrors.limitExceeded(`Cannot exceed quota for TagsPerRole: ${MAX_TAGS}`);
  return [...byKey].map(([key, value]) => ({ key, value }));
}
