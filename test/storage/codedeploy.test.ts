import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ApplicationRecord, CodeDeployDeployment, DeploymentGroupRecord } from '../../src/services/codedeploy/model.js';
import { groupKey, groupPrefix } from '../../src/storage/codedeploy-repo.js';
import { testStoreKind, useTestStore } from '../helpers/test-store.js';

const app = (name: string): ApplicationRecord => ({ id: `id-${name}`, name, computePlatform: 'Lambda', createdAt: 1, tags: [{ key: 'k', value: 'v' }] });
const group = (applicationName: string, name: string): DeploymentGroupRecord => ({
  id: `g-${name}`,
  applicationName,
  name,
  deploymentConfigName: 'CodeDeployDefault.LambdaCanary10Percent5Minutes',
  serviceRoleArn: 'arn:aws:iam::1:role/cd',
  alarmConfiguration: { enabled: true, ignorePollAlarmFailure: false, alarms: ['errors'] },
  autoRollbackConfiguration: { enabled: true, events: ['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_ALARM'] },
  deploymentStyle: { deploymentType: 'BLUE_GREEN', deploymentOption: 'WITH_TRAFFIC_CONTROL' },
  triggerConfigurations: [],
  tags: [],
  lastAttempted: { deploymentId: 'd-AAAAAAAAA', status: 'Failed', createdAt: 1, endedAt: 2 },
});
const deployment = (id: string): CodeDeployDeployment => ({
  id,
  applicationName: 'app',
  deploymentGroupName: 'fn',
  deploymentConfigName: 'CodeDeployDefault.LambdaAllAtOnce',
  status: 'InProgress',
  phase: 'BeforeAllowTraffic',
  creator: 'user',
  revision: { revisionType: 'AppSpecContent', content: '{}', sha256: 'abc' },
  target: { functionName: 'fn', alias: 'live', currentVersion: '1', targetVersion: '2', beforeAllowTraffic: 'pre' },
  alarmConfiguration: { enabled: false, ignorePollAlarmFailure: false, alarms: [] },
  autoRollbackConfiguration: { enabled: false, events: [] },
  hooks: [{ id: 'h1', event: 'BeforeAllowTraffic', functionName: 'pre', status: 'InProgress', startedAt: 5 }],
  createdAt: 3,
  startedAt: 4,
});

describe(`CodeDeploy's documents (${testStoreKind()})`, () => {
  const t = useTestStore();

  it('applications and their groups: created once, read back whole, changed with compare-and-set, listed by application and deleted', async () => {
    const { applications, groups } = t().store.codedeploy;
    assert.equal(await applications.create('app', app('app')), true);
    assert.equal(await applications.create('app', app('app')), false);
    assert.deepEqual(await applications.get('app'), { value: app('app'), revision: 1 });
    await applications.create('app2', app('app2'));
    assert.deepEqual((await applications.list('', undefined, 10)).map((a) => a.value.name), ['app', 'app2']);
    assert.deepEqual((await applications.list('', 'app', 10)).map((a) => a.value.name), ['app2']);

    for (const [a, g] of [['app', 'b'], ['app', 'a'], ['app2', 'a'], ['ap', 'p/x']] as const) assert.equal(await groups.create(groupKey(a, g), group(a, g)), true);
    assert.equal(await groups.create(groupKey('app', 'a'), group('app', 'a')), false);
    assert.deepEqual((await groups.list(groupPrefix('app'), undefined, 10)).map((g) => g.value.name), ['a', 'b'], "one application's groups only");
    assert.deepEqual((await groups.list(groupPrefix('app'), groupKey('app', 'a'), 10)).map((g) => g.value.name), ['b']);
    const changed = { ...group('app', 'a'), deploymentConfigName: 'CodeDeployDefault.LambdaAllAtOnce' };
    assert.equal(await groups.update(groupKey('app', 'a'), changed, 1), true);
    assert.equal(await groups.update(groupKey('app', 'a'), group('app', 'a'), 1), false, 'a stale writer loses');
    assert.deepEqual((await groups.get(groupKey('app', 'a')))?.value, changed);
    assert.equal(await groups.delete(groupKey('app', 'a')), true);
    assert.equal(await groups.get(groupKey('app', 'a')), undefined);
    assert.equal(await applications.delete('app2'), true);
  });

  it('deployments, with their hooks, read back whole and moved on with compare-and-set', async () => {
    const { deployments } = t().store.codedeploy;
    assert.equal(await deployments.create('d-ABCDEFGH1', deployment('d-ABCDEFGH1')), true);
    assert.deepEqual(await deployments.get('d-ABCDEFGH1'), { value: deployment('d-ABCDEFGH1'), revision: 1 });
    const done: CodeDeployDeployment = {
      ...deployment('d-ABCDEFGH1'),
      status: 'Failed',
      hooks: [{ id: 'h1', event: 'BeforeAllowTraffic', functionName: 'pre', status: 'Failed', startedAt: 5, endedAt: 6 }],
      error: { code: 'HOOK_EXECUTION_FAILURE', message: 'm' },
      rollback: { rollbackDeploymentId: 'd-ABCDEFGH2', rollbackMessage: 'r' },
      completedAt: 7,
    };
    assert.equal(await deployments.update('d-ABCDEFGH1', done, 1), true);
    assert.equal(await deployments.update('d-ABCDEFGH1', deployment('d-ABCDEFGH1'), 1), false);
    assert.deepEqual((await deployments.get('d-ABCDEFGH1'))?.value, done);
    await deployments.create('d-ABCDEFGH0', deployment('d-ABCDEFGH0'));
    assert.deepEqual((await deployments.list('', undefined, 10)).map((d) => d.value.id), ['d-ABCDEFGH0', 'd-ABCDEFGH1']);
  });
});
