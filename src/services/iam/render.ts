/** IAM's entities in its wire shapes (epoch seconds for dates; documents URL-encoded, as IAM answers them). */
import type { IamTag, InstanceProfileRecord, ManagedPolicyRecord, PolicyVersion, RoleRecord } from './model.js';
import { encodePolicyDocument } from './policy-document.js';

export type WireTag = { Key: string; Value: string };
export const toTags = (tags: readonly WireTag[] | undefined): IamTag[] => (tags ?? []).map((t) => ({ key: t.Key, value: t.Value }));
export const wireTags = (tags: readonly IamTag[]): WireTag[] => tags.map((t) => ({ Key: t.key, Value: t.value }));
const seconds = (ms: number): number => ms / 1000;

/** A role as GetRole and CreateRole show it; ListRoles shows less (no tags, boundary or last use), as IAM does. */
export function renderRole(r: RoleRecord, full = true): Record<string, unknown> {
  return {
    Path: r.path,
    RoleName: r.name,
    RoleId: r.roleId,
    Arn: r.arn,
    CreateDate: seconds(r.createdAt),
    AssumeRolePolicyDocument: encodePolicyDocument(r.assumeRolePolicy),
    Description: r.description,
    MaxSessionDuration: r.maxSessionDuration,
    ...(full
      ? {
          PermissionsBoundary: r.permissionsBoundary ? { PermissionsBoundaryType: 'Policy', PermissionsBoundaryArn: r.permissionsBoundary } : undefined,
          Tags: r.tags.length > 0 ? wireTags(r.tags) : undefined,
          RoleLastUsed: {},
        }
      : {}),
  };
}

export function renderPolicy(p: ManagedPolicyRecord, attachmentCount: number, full = true): Record<string, unknown> {
  return {
    PolicyName: p.name,
    PolicyId: p.policyId,
    Arn: p.arn,
    Path: p.path,
    DefaultVersionId: p.defaultVersionId,
    AttachmentCount: attachmentCount,
    PermissionsBoundaryUsageCount: 0,
    IsAttachable: true,
    ...(full ? { Description: p.description } : {}),
    CreateDate: seconds(p.createdAt),
    UpdateDate: seconds(p.updatedAt),
    Tags: p.tags.length > 0 ? wireTags(p.tags) : undefined,
  };
}

export const renderVersion = (v: PolicyVersion, defaultVersionId: string, withDocument = true): Record<string, unknown> => ({
  ...(withDocument ? { Document: encodePolicyDocument(v.document) } : {}),
  VersionId: v.versionId,
  IsDefaultVersion: v.versionId === defaultVersionId,
  CreateDate: seconds(v.createdAt),
});

export const renderInstanceProfile = (p: InstanceProfileRecord, roles: readonly RoleRecord[]): Record<string, unknown> => ({
  Path: p.path,
  InstanceProfileName: p.name,
  InstanceProfileId: p.instanceProfileId,
  Arn: p.arn,
  CreateDate: seconds(p.createdAt),
  Roles: roles.map((r) => renderRole(r, false)),
  Tags: p.tags.length > 0 ? wireTags(p.tags) : undefined,
});

/** IAM's list answers: `IsTruncated`, and `Marker` when there is more. */
export const listed = (marker: string | undefined): Record<string, unknown> => ({ IsTruncated: marker !== undefined, Marker: marker });
