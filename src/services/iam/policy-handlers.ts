/** IAM's managed policy and instance profile operations: parse, call a service, render. */
import { typedHandlers, type OperationHandler } from '../../api/service.js';
import type { InstanceProfileService } from './instance-profiles.js';
import type { PolicyService } from './policy-service.js';
import { listed, renderInstanceProfile, renderPolicy, renderVersion, toTags } from './render.js';
import type { RoleService } from './role-service.js';
import type { IamInputs } from '../../wire/inputs/iam.js';


export function policyHandlers(policies: PolicyService): Record<string, OperationHandler> {
  return typedHandlers<IamInputs>({
    async CreatePolicy(i) {
      const policy = await policies.create({
        name: i.PolicyName,
        ...(i.Path !== undefined ? { path: i.Path } : {}),
        document: i.PolicyDocument,
        ...(i.Description !== undefined ? { description: i.Description } : {}),
        tags: toTags(i.Tags),
      });
      // CreatePolicy's answer leaves the description out, as IAM's does.
      return { Policy: renderPolicy(policy, 0, false) };
    },
    async GetPolicy(input) {
      const arn = input.PolicyArn;
      return { Policy: renderPolicy(await policies.get(arn), await policies.attachmentCount(arn)) };
    },
    async ListPolicies(i) {
      // AWS managed policies are not catalogued here: only the account's own are listed.
      if (i.Scope === 'AWS') return { Policies: [], IsTruncated: false };
      const page = await policies.list(i.PathPrefix, i.Marker, i.MaxItems);
      const out = [];
      for (const p of page.items) {
        const count = await policies.attachmentCount(p.arn);
        if (!i.OnlyAttached || count > 0) out.push(renderPolicy(p, count, false));
      }
      return { Policies: out, ...listed(page.marker) };
    },
    async DeletePolicy(input) {
      await policies.delete(input.PolicyArn);
      return {};
    },
    async GetPolicyVersion(i) {
      const policy = await policies.get(i.PolicyArn);
      return { PolicyVersion: renderVersion(await policies.version(i.PolicyArn, i.VersionId), policy.defaultVersionId) };
    },
    async CreatePolicyVersion(i) {
      const version = await policies.createVersion(i.PolicyArn, i.PolicyDocument, i.SetAsDefault === true);
      const policy = await policies.get(i.PolicyArn);
      return { PolicyVersion: renderVersion(version, policy.defaultVersionId, false) };
    },
    async ListPolicyVersions(input) {
      const policy = await policies.get(input.PolicyArn);
      // Newest first, as IAM lists them.
      return { Versions: [...policy.versions].reverse().map((v) => renderVersion(v, policy.defaultVersionId, false)), IsTruncated: false };
    },
    async DeletePolicyVersion(i) {
      await policies.deleteVersion(i.PolicyArn, i.VersionId);
      return {};
    },
    async SetDefaultPolicyVersion(i) {
      await policies.setDefaultVersion(i.PolicyArn, i.VersionId);
      return {};
    },
    async TagPolicy(i) {
      await policies.tag(i.PolicyArn, toTags(i.Tags), []);
      return {};
    },
    async UntagPolicy(i) {
      await policies.tag(i.PolicyArn, [], i.TagKeys);
      return {};
    },
  });
}

export function instanceProfileHandlers(profiles: InstanceProfileService, roles: RoleService): Record<string, OperationHandler> {
  const render = async (name: string) => {
    const p = await profiles.get(name);
    return renderInstanceProfile(p, await Promise.all(p.roles.map((r) => roles.get(r))));
  };
  return typedHandlers<IamInputs>({
    async CreateInstanceProfile(i) {
      const p = await profiles.create(i.InstanceProfileName, i.Path, toTags(i.Tags));
      return { InstanceProfile: renderInstanceProfile(p, []) };
    },
    async GetInstanceProfile(input) {
      return { InstanceProfile: await render(input.InstanceProfileName) };
    },
    async ListInstanceProfiles(i) {
      const page = await profiles.list(i.Marker, i.MaxItems);
      return { InstanceProfiles: await Promise.all(page.items.map((p) => render(p.name))), ...listed(page.marker) };
    },
    async DeleteInstanceProfile(input) {
      await profiles.delete(input.InstanceProfileName);
      return {};
    },
    async AddRoleToInstanceProfile(i) {
      await profiles.addRole(i.InstanceProfileName, i.RoleName);
      return {};
    },
    async RemoveRoleFromInstanceProfile(i) {
      await profiles.removeRole(i.InstanceProfileName, i.RoleName);
      return {};
    },
  });
}
