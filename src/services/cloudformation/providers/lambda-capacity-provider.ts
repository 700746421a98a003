/**
 * AWS::Lambda::CapacityProvider through Lambda's own operations. `Ref` is the provider's name (the
 * type's primary identifier); `Fn::GetAtt` gives `Arn` and `State`. Only the scaling config and the
 * tags change in place: every other property replaces the provider.
 */
import type { Properties, Provisioned, ResourceContext, ResourceProvider } from '../provider.js';
import { ignoreMissing, num, tagMap } from './common.js';

type Scaling = { MaxVCpuCount?: unknown; ScalingMode?: string; ScalingPolicies?: { PredefinedMetricType: string; TargetValue: unknown }[] };

/** Numbers from parameters arrive as text; Lambda's model wants numbers. */
function scalingOf(props: Properties): Record<string, unknown> | undefined {
  const s = props['CapacityProviderScalingConfig'] as Scaling | undefined;
  if (s === undefined) return undefined;
  return {
    ...(s.MaxVCpuCount !== undefined ? { MaxVCpuCount: num(s.MaxVCpuCount) } : {}),
    ...(s.ScalingMode !== undefined ? { ScalingMode: s.ScalingMode } : {}),
    ...(s.ScalingPolicies !== undefined ? { ScalingPolicies: s.ScalingPolicies.map((p) => ({ PredefinedMetricType: p.PredefinedMetricType, TargetValue: num(p.TargetValue) })) } : {}),
  };
}

const provisioned = (out: Record<string, unknown>, name: string): Provisioned => {
  const p = out['CapacityProvider'] as { CapacityProviderArn: string; State: string };
  return { physicalId: name, attributes: { Arn: p.CapacityProviderArn, State: p.State } };
};

async function setTags(arn: string, props: Properties, previous: Properties, ctx: ResourceContext): Promise<void> {
  const tags = tagMap(props, ctx);
  const removed = Object.keys(tagMap(previous, ctx)).filter((k) => !(k in tags));
  if (removed.length > 0) await ctx.call('lambda', 'UntagResource', { Resource: arn, TagKeys: removed });
  if (Object.keys(tags).length > 0) await ctx.call('lambda', 'TagResource', { Resource: arn, Tags: tags });
}

export const lambdaCapacityProvider: ResourceProvider = {
  replaceOn: ['CapacityProviderName', 'VpcConfig', 'InstanceRequirements', 'PermissionsConfig', 'KmsKeyArn'],
  async create(props, ctx) {
    const name = String(props['CapacityProviderName'] ?? ctx.physicalName(140));
    const scaling = scalingOf(props);
    const tags = tagMap(props, ctx);
    const out = await ctx.call('lambda', 'CreateCapacityProvider', {
      CapacityProviderName: name,
      VpcConfig: props['VpcConfig'],
      PermissionsConfig: props['PermissionsConfig'],
      ...(props['InstanceRequirements'] !== undefined ? { InstanceRequirements: props['InstanceRequirements'] } : {}),
      ...(scaling ? { CapacityProviderScalingConfig: scaling } : {}),
      ...(props['KmsKeyArn'] !== undefined ? { KmsKeyArn: props['KmsKeyArn'] } : {}),
      ...(Object.keys(tags).length > 0 ? { Tags: tags } : {}),
    });
    return provisioned(out, name);
  },
  async update(name, props, previous, ctx) {
    // A scaling config removed from the template goes back to Lambda's default, Auto.
    const out = await ctx.call('lambda', 'UpdateCapacityProvider', { CapacityProviderName: name, CapacityProviderScalingConfig: scalingOf(props) ?? { ScalingMode: 'Auto' } });
    await setTags(String((out['CapacityProvider'] as { CapacityProviderArn: string }).CapacityProviderArn), props, previous, ctx);
    return provisioned(out, name);
  },
  async delete(name, _props, ctx) {
    await ignoreMissing(ctx.call('lambda', 'DeleteCapacityProvider', { CapacityProviderName: name }));
  },
};
