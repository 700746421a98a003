/** IAM's role operations: parse, call the role service, render. */
import { typedHandlers, type OperationHandler } from '../../api/service.js';
import { policyNameOf } from './names.js';
import { encodePolicyDocument } from './policy-document.js';
import { listed, renderRole, toTags, wireTags } from './render.js';
import type { RoleService } from './role-service.js';
import type { IamInputs } from '../../wire/inputs/iam.js';


export function roleHandlers(roles: RoleService): Record<string, OperationHandler> {
  return typedHandlers<IamInputs>({
    async CreateRole(i) {
      const role = await roles.create({
        name: i.RoleName,
        ...(i.Path !== undefined ? { path: i.Path } : {}),
        assumeRolePolicy: i.AssumeRolePolicyDocument,
        ...(i.Description !== undefined ? { description: i.Description } : {}),
        ...(i.MaxSessionDuration !== undefined ? { maxSessionDuration: i.MaxSessionDuration } : {}),
        ...(i.PermissionsBoundary !== undefined ? { permissionsBoundary: i.PermissionsBoundary } : {}),
        tags: toTags(i.Tags),
      });
      return { Role: renderRole(role) };
    },
    async GetRole(input) {
      return { Role: renderRole(await roles.get(input.RoleName)) };
    },
    async ListRoles(i) {
      const page = await roles.list(i.PathPrefix, i.Marker, i.MaxItems);
      return { Roles: page.items.map((r) => renderRole(r, false)), ...listed(page.marker) };
    },
    async DeleteRole(input) {
      await roles.delete(input.RoleName);
      return {};
    },
    async UpdateRole(i) {
      await roles.update(i.RoleName, {
        ...(i.Description !== undefined ? { description: i.Description } : {}),
        ...(i.MaxSessionDuration !== undefined ? { maxSessionDuration: i.MaxSessionDuration } : {}),
      });
      return {};
    },
    async UpdateRoleDescription(i) {
      await roles.update(i.RoleName, { description: i.Description });
      return { Role: renderRole(await roles.get(i.RoleName)) };
    },
    async UpdateAssumeRolePolicy(i) {
      await roles.updateAssumeRolePolicy(i.RoleName, i.PolicyDocument);
      return {};
    },
    async PutRolePermissionsBoundary(i) {
      await roles.setPermissionsBoundary(i.RoleName, i.PermissionsBoundary);
      return {};
    },
    async DeleteRolePermissionsBoundary(input) {
      await roles.setPermissionsBoundary(input.RoleName, undefined);
      return {};
    },
    async TagRole(i) {
      await roles.tag(i.RoleName, toTags(i.Tags), []);
      return {};
    },
    async UntagRole(i) {
      await roles.tag(i.RoleName, [], i.TagKeys);
      return {};
    },
    async ListRoleTags(input) {
      return { Tags: wireTags((await roles.get(input.RoleName)).tags), IsTruncated: false };
    },
    async PutRolePolicy(i) {
      await roles.putInlinePolicy(i.RoleName, i.PolicyName, i.PolicyDocument);
      return {};
    },
    async GetRolePolicy(i) {
      const document = await roles.inlinePolicy(i.RoleName, i.PolicyName);
      return { RoleName: (await roles.get(i.RoleName)).name, PolicyName: i.PolicyName, PolicyDocument: encodePolicyDocument(document) };
    },
    async ListRolePolicies(input) {
      const role = await roles.get(input.RoleName);
      return { PolicyNames: role.inlinePolicies.map((p) => p.name), IsTruncated: false };
    },
    async DeleteRolePolicy(i) {
      await roles.deleteInlinePolicy(i.RoleName, i.PolicyName);
      return {};
    },
    async AttachRolePolicy(i) {
      await roles.attach(i.RoleName, i.PolicyArn);
      return {};
    },
    async DetachRolePolicy(i) {
      await roles.detach(i.RoleName, i.PolicyArn);
      return {};
    },
    async ListAttachedRolePolicies(i) {
      const role = await roles.get(i.RoleName);
      const attached = [];
      for (const arn of role.attachedPolicies) {
        // The path is the part of the ARN between `policy` and the name.
        const path = arn.slice(arn.indexOf(':policy/') + ':policy'.length, arn.lastIndexOf('/') + 1);
        if (i.PathPrefix === undefined || path.startsWith(i.PathPrefix)) attached.push({ PolicyName: policyNameOf(arn), PolicyArn: arn });
      }
      return { AttachedPolicies: attached, IsTruncated: false };
    },
  });
}
