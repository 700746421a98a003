/** Instance profiles: a container for one role, which CloudFormation and CDK templates create beside roles. */
import type { Clock } from '../../lib/clock.js';
import type { IamStore } from '../../storage/iam-repo.js';
import { IamErrors } from '../../wire/errors.js';
import { edit, page, required } from './documents.js';
import type { IamTag, InstanceProfileRecord, Page } from './model.js';
import { iamArn, nameKey, uniqueId } from './names.js';
import { mergeTags, type RoleService } from './role-service.js';

export class InstanceProfileService {
  constructor(
    private readonly store: IamStore,
    private readonly roles: RoleService,
    private readonly clock: Clock,
    private readonly accountId: string,
  ) {}

  async create(name: string, path: string | undefined, tags: readonly IamTag[]): Promise<InstanceProfileRecord> {
    const p = path ?? '/';
    const profile: InstanceProfileRecord = {
      name,
      path: p,
      instanceProfileId: uniqueId('AIPA'),
      arn: iamArn(this.accountId, 'instance-profile', p, name),
      createdAt: this.clock.now(),
      roles: [],
      tags: mergeTags([], tags, []),
    };
    if (!(await this.store.instanceProfiles.create(nameKey(name), profile))) throw IamErrors.instanceProfileExists(name);
    return profile;
  }

  get(name: string): Promise<InstanceProfileRecord> {
    return required(this.store.instanceProfiles, nameKey(name), () => IamErrors.noSuchInstanceProfile(name));
  }

  list(marker: string | undefined, maxItems: number | undefined): Promise<Page<InstanceProfileRecord>> {
    return page(this.store.instanceProfiles, (p) => nameKey(p.name), () => true, marker, maxItems);
  }

  async delete(name: string): Promise<void> {
    const profile = await this.get(name);
    if (profile.roles.length > 0) throw IamErrors.deleteConflict('Cannot delete entity, must remove roles from instance profile first.');
    if (!(await this.store.instanceProfiles.delete(nameKey(name)))) throw IamErrors.noSuchInstanceProfile(name);
  }

  async addRole(name: string, roleName: string): Promise<void> {
    const role = await this.roles.get(roleName);
    await this.edit(name, (p) => {
      if (p.roles.length > 0) throw IamErrors.limitExceeded('Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1');
      return { ...p, roles: [role.name] };
    });
  }

  async removeRole(name: string, roleName: string): Promise<void> {
    await this.edit(name, (p) => {
      if (!p.roles.some((r) => nameKey(r) === nameKey(roleName))) throw IamErrors.noSuchEntity(`The role with name ${roleName} cannot be found.`);
      return { ...p, roles: p.roles.filter((r) => nameKey(r) !== nameKey(roleName)) };
    });
  }

  private edit(name: string, change: (p: InstanceProfileRecord) => InstanceProfileRecord): Promise<InstanceProfileRecord> {
    return edit(this.store.instanceProfiles, nameKey(name), () => IamErrors.noSuchInstanceProfile(name), change);
  }
}
