/** The capacity-provider operations of Lambda Managed Instances, and ListFunctionVersionsByCapacityProvider. */
import type { CapacityProviderRecord } from '../../../domain/capacity-provider.js';
import type { CapacityProviderService, ScalingInput } from '../../../functions/capacity-provider-service.js';
import { typedHandlers, type OperationHandler } from '../../../api/service.js';
import type { LambdaInputs } from '../../../wire/inputs/lambda.js';

interface ScalingWire {
  MaxVCpuCount?: number;
  ScalingMode?: 'Auto' | 'Manual';
  ScalingPolicies?: { PredefinedMetricType: string; TargetValue: number }[];
}



const scalingFrom = (w: ScalingWire | undefined): ScalingInput => ({
  ...(w?.MaxVCpuCount !== undefined ? { maxVCpuCount: w.MaxVCpuCount } : {}),
  ...(w?.ScalingMode !== undefined ? { mode: w.ScalingMode } : {}),
  ...(w?.ScalingPolicies !== undefined ? { policies: w.ScalingPolicies.map((p) => ({ metric: p.PredefinedMetricType, targetValue: p.TargetValue })) } : {}),
});

export function renderCapacityProvider(p: CapacityProviderRecord, arn: string): Record<string, unknown> {
  const ir = p.instanceRequirements;
  return {
    CapacityProviderArn: arn,
    State: p.state,
    VpcConfig: { SubnetIds: p.vpc.subnetIds, SecurityGroupIds: p.vpc.securityGroupIds },
    PermissionsConfig: { CapacityProviderOperatorRoleArn: p.operatorRoleArn },
    InstanceRequirements: {
      Architectures: ir?.architectures ?? ['x86_64'],
      ...(ir?.allowedInstanceTypes ? { AllowedInstanceTypes: ir.allowedInstanceTypes } : {}),
      ...(ir?.excludedInstanceTypes ? { ExcludedInstanceTypes: ir.excludedInstanceTypes } : {}),
    },
    CapacityProviderScalingConfig: {
      ...(p.scaling.maxVCpuCount !== undefined ? { MaxVCpuCount: p.scaling.maxVCpuCount } : {}),
      ScalingMode: p.scaling.mode,
      ...(p.scaling.policies.length > 0 ? { ScalingPolicies: p.scaling.policies.map((x) => ({ PredefinedMetricType: x.metric, TargetValue: x.targetValue })) } : {}),
    },
    ...(p.kmsKeyArn ? { KmsKeyArn: p.kmsKeyArn } : {}),
    LastModified: p.lastModified,
  };
}

export function capacityProviderHandlers(providers: CapacityProviderService): Record<string, OperationHandler> {
  const render = (p: CapacityProviderRecord) => ({ CapacityProvider: renderCapacityProvider(p, providers.arn(p.name)) });
  return typedHandlers<LambdaInputs>({
    async CreateCapacityProvider(i) {
      const ir = i.InstanceRequirements;
      const p = await providers.create(i.CapacityProviderName, {
        vpc: { subnetIds: i.VpcConfig.SubnetIds, securityGroupIds: i.VpcConfig.SecurityGroupIds },
        operatorRoleArn: i.PermissionsConfig.CapacityProviderOperatorRoleArn,
        ...(ir
          ? {
              instanceRequirements: {
                ...(ir.Architectures ? { architectures: ir.Architectures } : {}),
                ...(ir.AllowedInstanceTypes ? { allowedInstanceTypes: ir.AllowedInstanceTypes } : {}),
                ...(ir.ExcludedInstanceTypes ? { excludedInstanceTypes: ir.ExcludedInstanceTypes } : {}),
              },
            }
          : {}),
        scaling: { mode: 'Auto', policies: [], ...scalingFrom(i.CapacityProviderScalingConfig) },
        ...(i.KmsKeyArn ? { kmsKeyArn: i.KmsKeyArn } : {}),
        tags: i.Tags ?? {},
      });
      return render(p);
    },

    async GetCapacityProvider(input) {
      return render(await providers.get(input.CapacityProviderName));
    },

    async ListCapacityProviders(i) {
      const page = await providers.list(i.Marker, Math.min(i.MaxItems ?? 50, 50), i.State);
      return { CapacityProviders: page.items.map((p) => renderCapacityProvider(p, providers.arn(p.name))), NextMarker: page.nextMarker };
    },

    async UpdateCapacityProvider(i) {
      const p = await providers.update(i.CapacityProviderName, i.CapacityProviderScalingConfig ? scalingFrom(i.CapacityProviderScalingConfig) : undefined);
      return render(p);
    },

    async DeleteCapacityProvider(input) {
      const p = await providers.delete(input.CapacityProviderName);
      return render(p);
    },

    async ListFunctionVersionsByCapacityProvider(i) {
      const page = await providers.versionsOn(i.CapacityProviderName, i.Marker, Math.min(i.MaxItems ?? 50, 50));
      return {
        CapacityProviderArn: page.arn,
        FunctionVersions: page.items.map((v) => ({ FunctionArn: v.functionArn, State: v.state })),
        NextMarker: page.nextMarker,
      };
    },
  });
}
