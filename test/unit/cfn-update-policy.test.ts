import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { aliasDeploymentOf } from '../../src/services/cloudformation/engine/update-policy.js';
import { NO_VALUE } from '../../src/services/cloudformation/template/intrinsics.js';

const ALIAS = 'AWS::Lambda::Alias';
const policy = (extra: Record<string, unknown> = {}) => ({ CodeDeployLambdaAliasUpdate: { ApplicationName: 'app', DeploymentGroupName: 'group', ...extra } });
const alias = (version: string) => ({ FunctionName: 'api', Name: 'live', FunctionVersion: version });

describe('UpdatePolicy CodeDeployLambdaAliasUpdate: which updates are CodeDeploy deployments', () => {
  it('an alias whose FunctionVersion changes, with the hooks the policy names', () => {
    assert.deepEqual(aliasDeploymentOf(ALIAS, policy({ BeforeAllowTrafficHook: 'pre', AfterAllowTrafficHook: NO_VALUE }), alias('1'), alias('2')), {
      applicationName: 'app',
      deploymentGroupName: 'group',
      functionName: 'api',
      alias: 'live',
      currentVersion: '1',
      targetVersion: '2',
      beforeHook: 'pre',
    });
  });

  it('not an alias, no policy, another policy, or the same version: a plain update', () => {
    assert.equal(aliasDeploymentOf('AWS::Lambda::Version', policy(), alias('1'), alias('2')), undefined);
    assert.equal(aliasDeploymentOf(ALIAS, undefined, alias('1'), alias('2')), undefined);
    assert.equal(aliasDeploymentOf(ALIAS, { AutoScalingRollingUpdate: {} }, alias('1'), alias('2')), undefined);
    assert.equal(aliasDeploymentOf(ALIAS, policy(), { ...alias('2'), Description: 'a' }, { ...alias('2'), Description: 'b' }), undefined);
  });

  it('refuses a policy without its application or deployment group', () => {
    assert.throws(() => aliasDeploymentOf(ALIAS, { CodeDeployLambdaAliasUpdate: { ApplicationName: 'app' } }, alias('1'), alias('2')), /requires ApplicationName and DeploymentGroupName/);
  });
});
