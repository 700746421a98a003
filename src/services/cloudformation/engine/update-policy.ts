/**
 * How a resource's in-place update is carried out. Under `UpdatePolicy.CodeDeployLambdaAliasUpdate`
 * (what SAM's DeploymentPreference writes), an AWS::Lambda::Alias update that changes FunctionVersion
 * is a CodeDeploy deployment (hooks, traffic shifting by the group's configuration, alarms) rather
 * than an UpdateAlias; a failed or stopped deployment fails the update with the deployment's reason.
 * A rollback returns through the same path with the policy of the state it returns to, so an alias
 * whose deployment had succeeded is shifted back by CodeDeploy too. Creation is not an update: the
 * alias is pointed directly, as CloudFormation does, there being no version to shift from.
 */
import { CloudFormationErrors } from '../../../wire/errors/cloudformation.js';
import type { Properties, Provisioned, ResourceContext, ResourceProvider } from '../provider.js';
import { codeDeployAliasUpdate, type CodeDeployAliasUpdate } from '../providers/codedeploy-alias-update.js';
import { NO_VALUE } from '../template/intrinsics.js';

const ALIAS = 'AWS::Lambda::Alias';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The CodeDeploy deployment an update from `before` to `after` calls for, or undefined for a plain update. */
export function aliasDeploymentOf(type: string, updatePolicy: unknown, before: Properties, after: Properties): CodeDeployAliasUpdate | undefined {
  if (type !== ALIAS || !isObject(updatePolicy)) return undefined;
  const policy = updatePolicy['CodeDeployLambdaAliasUpdate'];
  if (policy === undefined) return undefined;
  const from = before['FunctionVersion'];
  const to = after['FunctionVersion'];
  if (from === undefined || to === undefined || String(from) === String(to)) return undefined;
  // A hook left out by `!If [cond, !Ref Hook, !Ref AWS::NoValue]` is no hook.
  const text = (k: string): string | undefined => {
    const v = isObject(policy) ? policy[k] : undefined;
    return v === undefined || v === null || v === '' || v === NO_VALUE ? undefined : String(v);
  };
  const applicationName = text('ApplicationName');
  const deploymentGroupName = text('DeploymentGroupName');
  if (!applicationName || !deploymentGroupName) throw CloudFormationErrors.validation('UpdatePolicy CodeDeployLambdaAliasUpdate requires ApplicationName and DeploymentGroupName');
  const beforeHook = text('BeforeAllowTrafficHook');
  const afterHook = text('AfterAllowTrafficHook');
  return {
    applicationName,
    deploymentGroupName,
    functionName: String(after['FunctionName']),
    alias: String(after['Name']),
    currentVersion: String(from),
    targetVersion: String(to),
    ...(beforeHook ? { beforeHook } : {}),
    ...(afterHook ? { afterHook } : {}),
  };
}

/** Updates a resource in place, through CodeDeploy when its update policy says so. */
export async function updateInPlace(provider: ResourceProvider, type: string, updatePolicy: unknown, physicalId: string, props: Properties, previous: Properties, ctx: ResourceContext): Promise<Provisioned> {
  const deployment = aliasDeploymentOf(type, updatePolicy, previous, props);
  if (deployment) {
    await codeDeployAliasUpdate(ctx, deployment);
    // The alias is on the target version now; the provider's update sets whatever else changed (Description).
  }
  return provider.update(physicalId, props, previous, ctx);
}
