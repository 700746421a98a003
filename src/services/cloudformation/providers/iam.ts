/** AWS::IAM::Role, AWS::IAM::Policy and AWS::IAM::ManagedPolicy, through IAM's own operations (stored, not enforced). */
import type { Properties, ResourceContext, ResourceProvider } from '../provider.js';
import { changed, gone, int, json, list, onlyKnown, orUndo, str, syncTags, tagsOf, UnsupportedProperty } from './props.js';

type InlinePolicy = { PolicyName: string; PolicyDocument: unknown };
const NOT_FOUND = 'NoSuchEntityException';
const ROLE_PROPS = ['AssumeRolePolicyDocument', 'Description', 'ManagedPolicyArns', 'MaxSessionDuration', 'Path', 'PermissionsBoundary', 'Policies', 'RoleName', 'Tags'];
const document = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v));
const inlinePolicies = (props: Properties): Map<string, string> =>
  new Map(list<InlinePolicy>(props, 'Policies').map((p) => [String(p.PolicyName), document(p.PolicyDocument)]));
const iso = (seconds: unknown): string => new Date(Number(seconds) * 1000).toISOString();

async function roleAttributes(ctx: ResourceContext, name: string) {
  const role = (await ctx.call('iam', 'GetRole', { RoleName: name }))['Role'] as { Arn: string; RoleId: string };
  return { physicalId: name, attributes: { Arn: role.Arn, RoleId: role.RoleId } };
}

/** Makes the role's inline and managed policies those of `props`, from those of `previous`. */
async function syncRolePolicies(ctx: ResourceContext, name: string, props: Properties, previous: Properties): Promise<void> {
  const want = inlinePolicies(props);
  const had = inlinePolicies(previous);
  for (const [policyName, doc] of want) if (had.get(policyName) !== doc) await ctx.call('iam', 'PutRolePolicy', { RoleName: name, PolicyName: policyName, PolicyDocument: doc });
  for (const policyName of had.keys()) if (!want.has(policyName)) await gone(ctx.call('iam', 'DeleteRolePolicy', { RoleName: name, PolicyName: policyName }), NOT_FOUND);
  const arns = list<string>(props, 'ManagedPolicyArns').map(String);
  const hadArns = list<string>(previous, 'ManagedPolicyArns').map(String);
  for (const arn of arns) if (!hadArns.includes(arn)) await ctx.call('iam', 'AttachRolePolicy', { RoleName: name, PolicyArn: arn });
  for (const arn of hadArns) if (!arns.includes(arn)) await gone(ctx.call('iam', 'DetachRolePolicy', { RoleName: name, PolicyArn: arn }), NOT_FOUND);
}

const role: ResourceProvider = {
  replaceOn: ['RoleName', 'Path'],
  async create(props, ctx) {
    onlyKnown('AWS::IAM::Role', props, ROLE_PROPS);
    const name = str(props, 'RoleName') ?? ctx.physicalName(64);
    const tags = tagsOf(props, ctx);
    await ctx.call('iam', 'CreateRole', {
      RoleName: name,
      AssumeRolePolicyDocument: json(props, 'AssumeRolePolicyDocument') ?? '',
      ...(str(props, 'Path') !== undefined ? { Path: str(props, 'Path') } : {}),
      ...(str(props, 'Description') !== undefined ? { Description: str(props, 'Description') } : {}),
      ...(int(props, 'MaxSessionDuration') !== undefined ? { MaxSessionDuration: int(props, 'MaxSessionDuration') } : {}),
      ...(str(props, 'PermissionsBoundary') !== undefined ? { PermissionsBoundary: str(props, 'PermissionsBoundary') } : {}),
      ...(tags.length > 0 ? { Tags: tags } : {}),
    });
    return orUndo(
      async () => {
        await syncRolePolicies(ctx, name, props, {});
        return roleAttributes(ctx, name);
      },
      () => role.delete(name, props, ctx),
    );
  },
  async update(name, props, previous, ctx) {
    onlyKnown('AWS::IAM::Role', props, ROLE_PROPS);
    if (changed(props, previous, 'AssumeRolePolicyDocument')) {
      await ctx.call('iam', 'UpdateAssumeRolePolicy', { RoleName: name, PolicyDocument: json(props, 'AssumeRolePolicyDocument') ?? '' });
    }
    if (changed(props, previous, 'Description') || changed(props, previous, 'MaxSessionDuration')) {
      await ctx.call('iam', 'UpdateRole', { RoleName: name, Description: str(props, 'Description') ?? '', MaxSessionDuration: int(props, 'MaxSessionDuration') ?? 3600 });
    }
    if (changed(props, previous, 'PermissionsBoundary')) {
      const boundary = str(props, 'PermissionsBoundary');
      if (boundary === undefined) await ctx.call('iam', 'DeleteRolePermissionsBoundary', { RoleName: name });
      else await ctx.call('iam', 'PutRolePermissionsBoundary', { RoleName: name, PermissionsBoundary: boundary });
    }
    await syncRolePolicies(ctx, name, props, previous);
    await syncTags(ctx, props, previous, (Tags) => ctx.call('iam', 'TagRole', { RoleName: name, Tags }), (TagKeys) => ctx.call('iam', 'UntagRole', { RoleName: name, TagKeys }));
    return roleAttributes(ctx, name);
  },
  /** As CloudFormation does: the role's policies go first (whoever put them), then the role. */
  async delete(name, _props, ctx) {
    await gone(
      (async () => {
        const inline = (await ctx.call('iam', 'ListRolePolicies', { RoleName: name }))['PolicyNames'] as string[];
        for (const p of inline) await gone(ctx.call('iam', 'DeleteRolePolicy', { RoleName: name, PolicyName: p }), NOT_FOUND);
        const attached = (await ctx.call('iam', 'ListAttachedRolePolicies', { RoleName: name }))['AttachedPolicies'] as { PolicyArn: string }[];
        for (const a of attached) await gone(ctx.call('iam', 'DetachRolePolicy', { RoleName: name, PolicyArn: a.PolicyArn }), NOT_FOUND);
        await ctx.call('iam', 'DeleteRole', { RoleName: name });
      })(),
      NOT_FOUND,
    );
  },
};

const POLICY_PROPS = ['PolicyName', 'PolicyDocument', 'Roles', 'Users', 'Groups'];
function noUsersOrGroups(type: string, props: Properties): void {
  for (const key of ['Users', 'Groups']) {
    if (list(props, key).length > 0) throw new UnsupportedProperty(type, key, 'IAM users and groups are not served; attach policies to roles.');
  }
}

/** An inline policy put on each of its roles; its physical id is a generated name, as CloudFormation's is. */
const policy: ResourceProvider = {
  replaceOn: [],
  async create(props, ctx) {
    onlyKnown('AWS::IAM::Policy', props, POLICY_PROPS);
    noUsersOrGroups('AWS::IAM::Policy', props);
    const id = ctx.physicalName(128);
    for (const r of list<string>(props, 'Roles')) {
      await ctx.call('iam', 'PutRolePolicy', { RoleName: String(r), PolicyName: str(props, 'PolicyName') ?? '', PolicyDocument: json(props, 'PolicyDocument') ?? '' });
    }
    return { physicalId: id, attributes: { Id: id } };
  },
  async update(id, props, previous, ctx) {
    onlyKnown('AWS::IAM::Policy', props, POLICY_PROPS);
    noUsersOrGroups('AWS::IAM::Policy', props);
    const name = str(props, 'PolicyName') ?? '';
    const roles = list<string>(props, 'Roles').map(String);
    for (const r of roles) await ctx.call('iam', 'PutRolePolicy', { RoleName: r, PolicyName: name, PolicyDocument: json(props, 'PolicyDocument') ?? '' });
    const oldName = str(previous, 'PolicyName') ?? '';
    for (const r of list<string>(previous, 'Roles').map(String)) {
      if (!roles.includes(r) || oldName !== name) await gone(ctx.call('iam', 'DeleteRolePolicy', { RoleName: r, PolicyName: oldName }), NOT_FOUND);
    }
    return { physicalId: id, attributes: { Id: id } };
  },
  async delete(_id, props, ctx) {
    for (const r of list<string>(props, 'Roles')) {
      await gone(ctx.call('iam', 'DeleteRolePolicy', { RoleName: String(r), PolicyName: str(props, 'PolicyName') ?? '' }), NOT_FOUND);
    }
  },
};

const MANAGED_PROPS = ['ManagedPolicyName', 'Path', 'Description', 'PolicyDocument', 'Roles', 'Users', 'Groups'];

async function managedAttributes(ctx: ResourceContext, arn: string) {
  const p = (await ctx.call('iam', 'GetPolicy', { PolicyArn: arn }))['Policy'] as Record<string, unknown>;
  return {
    physicalId: arn,
    attributes: {
      PolicyArn: arn,
      PolicyId: p['PolicyId'],
      AttachmentCount: p['AttachmentCount'],
      CreateDate: iso(p['CreateDate']),
      UpdateDate: iso(p['UpdateDate']),
      DefaultVersionId: p['DefaultVersionId'],
      IsAttachable: p['IsAttachable'],
      PermissionsBoundaryUsageCount: p['PermissionsBoundaryUsageCount'],
    },
  };
}

/** A customer managed policy; Ref is its ARN. A new document is a new default version, the oldest pruned at IAM's five. */
const managedPolicy: ResourceProvider = {
  replaceOn: ['ManagedPolicyName', 'Path', 'Description'],
  async create(props, ctx) {
    onlyKnown('AWS::IAM::ManagedPolicy', props, MANAGED_PROPS);
    noUsersOrGroups('AWS::IAM::ManagedPolicy', props);
    const created = await ctx.call('iam', 'CreatePolicy', {
      PolicyName: str(props, 'ManagedPolicyName') ?? ctx.physicalName(128),
      PolicyDocument: json(props, 'PolicyDocument') ?? '',
      ...(str(props, 'Path') !== undefined ? { Path: str(props, 'Path') } : {}),
      ...(str(props, 'Description') !== undefined ? { Description: str(props, 'Description') } : {}),
    });
    const arn = (created['Policy'] as { Arn: string }).Arn;
    return orUndo(
      async () => {
        for (const r of list<string>(props, 'Roles')) await ctx.call('iam', 'AttachRolePolicy', { RoleName: String(r), PolicyArn: arn });
        return managedAttributes(ctx, arn);
      },
      () => managedPolicy.delete(arn, props, ctx),
    );
  },
  async update(arn, props, previous, ctx) {
    onlyKnown('AWS::IAM::ManagedPolicy', props, MANAGED_PROPS);
    noUsersOrGroups('AWS::IAM::ManagedPolicy', props);
    if (changed(props, previous, 'PolicyDocument')) {
      const versions = (await ctx.call('iam', 'ListPolicyVersions', { PolicyArn: arn }))['Versions'] as { VersionId: string; IsDefaultVersion: boolean }[];
      const old = versions.filter((v) => !v.IsDefaultVersion);
      // Listed newest first: the last non-default one is the oldest.
      if (versions.length >= 5 && old.length > 0) await ctx.call('iam', 'DeletePolicyVersion', { PolicyArn: arn, VersionId: old[old.length - 1]!.VersionId });
      await ctx.call('iam', 'CreatePolicyVersion', { PolicyArn: arn, PolicyDocument: json(props, 'PolicyDocument') ?? '', SetAsDefault: true });
    }
    const roles = list<string>(props, 'Roles').map(String);
    const had = list<string>(previous, 'Roles').map(String);
    for (const r of roles) if (!had.includes(r)) await ctx.call('iam', 'AttachRolePolicy', { RoleName: r, PolicyArn: arn });
    for (const r of had) if (!roles.includes(r)) await gone(ctx.call('iam', 'DetachRolePolicy', { RoleName: r, PolicyArn: arn }), NOT_FOUND);
    return managedAttributes(ctx, arn);
  },
  async delete(arn, props, ctx) {
    for (const r of list<string>(props, 'Roles')) await gone(ctx.call('iam', 'DetachRolePolicy', { RoleName: String(r), PolicyArn: arn }), NOT_FOUND);
    await gone(
      (async () => {
        const versions = (await ctx.call('iam', 'ListPolicyVersions', { PolicyArn: arn }))['Versions'] as { VersionId: string; IsDefaultVersion: boolean }[];
        for (const v of versions) if (!v.IsDefaultVersion) await ctx.call('iam', 'DeletePolicyVersion', { PolicyArn: arn, VersionId: v.VersionId });
        await ctx.call('iam', 'DeletePolicy', { PolicyArn: arn });
      })(),
      NOT_FOUND,
    );
  },
};

export const iamProviders: Record<string, ResourceProvider> = {
  'AWS::IAM::Role': role,
  'AWS::IAM::Policy': policy,
  'AWS::IAM::ManagedPolicy': managedPolicy,
};
