/** AWS::IAM::InstanceProfile (Ref: its name; GetAtt Arn), through IAM's own operations (stored, not enforced). */
import type { ResourceContext, ResourceProvider } from '../provider.js';
import { gone, list, onlyKnown, orUndo, str } from './props.js';

const TYPE = 'AWS::IAM::InstanceProfile';
const NOT_FOUND = 'NoSuchEntityException';
const KNOWN = ['InstanceProfileName', 'Path', 'Roles'];

async function attributes(ctx: ResourceContext, name: string) {
  const profile = (await ctx.call('iam', 'GetInstanceProfile', { InstanceProfileName: name }))['InstanceProfile'] as { Arn: string };
  return { physicalId: name, attributes: { Arn: profile.Arn } };
}

const roles = (props: Record<string, unknown>) => list<string>(props, 'Roles').map(String);

const instanceProfile: ResourceProvider = {
  replaceOn: ['InstanceProfileName', 'Path'],
  async create(props, ctx) {
    onlyKnown(TYPE, props, KNOWN);
    const name = str(props, 'InstanceProfileName') ?? ctx.physicalName(128);
    await ctx.call('iam', 'CreateInstanceProfile', { InstanceProfileName: name, ...(str(props, 'Path') !== undefined ? { Path: str(props, 'Path') } : {}) });
    return orUndo(
      async () => {
        for (const r of roles(props)) await ctx.call('iam', 'AddRoleToInstanceProfile', { InstanceProfileName: name, RoleName: r });
        return attributes(ctx, name);
      },
      () => instanceProfile.delete(name, props, ctx),
    );
  },
  async update(name, props, previous, ctx) {
    onlyKnown(TYPE, props, KNOWN);
    const want = roles(props);
    const had = roles(previous);
    for (const r of had) if (!want.includes(r)) await gone(ctx.call('iam', 'RemoveRoleFromInstanceProfile', { InstanceProfileName: name, RoleName: r }), NOT_FOUND);
    for (const r of want) if (!had.includes(r)) await ctx.call('iam', 'AddRoleToInstanceProfile', { InstanceProfileName: name, RoleName: r });
    return attributes(ctx, name);
  },
  /** Its roles come off first, as IAM requires. */
  async delete(name, _props, ctx) {
    await gone(
      (async () => {
        const profile = (await ctx.call('iam', 'GetInstanceProfile', { InstanceProfileName: name }))['InstanceProfile'] as { Roles?: { RoleName: string }[] };
        for (const r of profile.Roles ?? []) await gone(ctx.call('iam', 'RemoveRoleFromInstanceProfile', { InstanceProfileName: name, RoleName: r.RoleName }), NOT_FOUND);
        await ctx.call('iam', 'DeleteInstanceProfile', { InstanceProfileName: name });
      })(),
      NOT_FOUND,
    );
  },
};

export const instanceProfileProviders: Record<string, ResourceProvider> = { [TYPE]: instanceProfile };
