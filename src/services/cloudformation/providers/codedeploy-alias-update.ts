/**
 * The CloudFormation engine calls this for an AWS::Lambda::Alias update under
 * `UpdatePolicy.CodeDeployLambdaAliasUpdate` (what SAM's DeploymentPreference writes): instead of
 * pointing the alias at the new version itself, it has CodeDeploy deploy it (hooks, traffic shifting by
 * the group's configuration, alarms), and waits. A failed or stopped deployment rejects with the
 * deployment's error message; the engine then fails the alias update and rolls the stack back.
 */
import type { ResourceContext } from '../provider.js';

export interface CodeDeployAliasUpdate {
  applicationName: string;
  deploymentGroupName: string;
  functionName: string;
  alias: string;
  currentVersion: string;
  targetVersion: string;
  beforeHook?: string;
  afterHook?: string;
}

/** How often the deployment's status is read: it moves on the deployment clock, not on this poll. */
const POLL_MS = 200;

export async function codeDeployAliasUpdate(ctx: ResourceContext, input: CodeDeployAliasUpdate): Promise<{ deploymentId: string }> {
  const hooks = [
    ...(input.beforeHook ? [{ BeforeAllowTraffic: input.beforeHook }] : []),
    ...(input.afterHook ? [{ AfterAllowTraffic: input.afterHook }] : []),
  ];
  const appSpec = {
    version: 0.0,
    Resources: [
      {
        [input.functionName]: {
          Type: 'AWS::Lambda::Function',
          Properties: { Name: input.functionName, Alias: input.alias, CurrentVersion: input.currentVersion, TargetVersion: input.targetVersion },
        },
      },
    ],
    ...(hooks.length > 0 ? { Hooks: hooks } : {}),
  };
  const created = await ctx.call('codedeploy', 'CreateDeployment', {
    applicationName: input.applicationName,
    deploymentGroupName: input.deploymentGroupName,
    revision: { revisionType: 'AppSpecContent', appSpecContent: { content: JSON.stringify(appSpec) } },
    description: `Alias ${input.alias} of ${input.functionName} in stack ${ctx.stackName} (${ctx.logicalId})`,
  });
  const deploymentId = String(created['deploymentId']);
  for (;;) {
    const info = (await ctx.call('codedeploy', 'GetDeployment', { deploymentId }))['deploymentInfo'] as { status: string; errorInformation?: { code?: string; message?: string } };
    if (info.status === 'Succeeded') return { deploymentId };
    if (info.status === 'Failed' || info.status === 'Stopped') {
      throw new Error(`CodeDeploy deployment ${deploymentId} ${info.status === 'Failed' ? 'failed' : 'was stopped'}: ${info.errorInformation?.message ?? info.errorInformation?.code ?? 'no reason given'}`);
    }
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}
