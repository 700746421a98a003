import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CompositeAlarmRecord } from '../../src/alarms/composite-model.js';
import type { DashboardRecord } from '../../src/domain/dashboard.js';
import type { LogResourcePolicyRecord } from '../../src/services/logs/model.js';
import { testStoreKind, useTestStore } from '../helpers/test-store.js';

const composite = (name: string, state: CompositeAlarmRecord['state'] = 'OK'): CompositeAlarmRecord => ({
  definition: {
    name,
    rule: 'ALARM(a) AND NOT OK("b c")',
    actionsEnabled: true,
    alarmActions: ['arn:aws:sqs:us-east-1:000000000000:q'],
    okActions: [],
    insufficientDataActions: [],
    suppressor: { alarm: 'maintenance', arn: 'arn:aws:cloudwatch:us-east-1:000000000000:alarm:maintenance', waitPeriodSeconds: 60, extensionPeriodSeconds: 120 },
  },
  state,
  stateReason: 'because',
  stateUpdatedAt: 1000,
  configurationUpdatedAt: 1000,
  actionsSuppressedBy: 'Alarm',
  actionsSuppressedReason: 'Alarm maintenance is in ALARM state',
  tags: { team: 'ops' },
});
const dashboard = (name: string): DashboardRecord => ({ name, body: JSON.stringify({ widgets: [{ type: 'text', properties: { markdown: `# ${name}` } }] }), lastModified: 5 });
const policy = (name: string): LogResourcePolicyRecord => ({ policyName: name, policyDocument: '{"Version":"2012-10-17","Statement":[]}', lastUpdatedTime: 7, revisionId: 'r1' });

describe(`CloudWatch composite alarms and dashboards, Logs resource policies (${testStoreKind()})`, () => {
  const t = useTestStore();

  it('keeps composite alarms by name with compare-and-set, and their history beside metric alarms', async () => {
    const { compositeAlarms, alarms } = t().store;
    assert.equal(await compositeAlarms.create('web', composite('web')), true);
    assert.equal(await compositeAlarms.create('web', composite('web', 'ALARM')), false, 'the name is taken');
    assert.equal(await compositeAlarms.create('api', composite('api')), true);
    const got = await compositeAlarms.get('web');
    assert.deepEqual(got, { value: composite('web'), revision: 1 });
    assert.equal(await compositeAlarms.update('web', composite('web', 'ALARM'), 1), true);
    assert.equal(await compositeAlarms.update('web', composite('web', 'OK'), 1), false, 'stale revision');
    assert.equal((await compositeAlarms.get('web'))!.value.state, 'ALARM');
    assert.deepEqual((await compositeAlarms.list('', undefined, 10)).map((r) => r.value.definition.name), ['api', 'web']);

    const item = { alarmName: 'web', timestamp: 10, oldState: 'OK' as const, newState: 'ALARM' as const, reason: 'rule true' };
    await alarms.appendHistory(item);
    await alarms.appendHistory({ ...item, timestamp: 20, oldState: 'ALARM', newState: 'OK', reason: 'rule false' });
    await alarms.appendHistory({ ...item, alarmName: 'api' });
    assert.deepEqual((await alarms.history('web', 10)).map((h) => `${h.timestamp}:${h.oldState}->${h.newState}:${h.reason}`), ['20:ALARM->OK:rule false', '10:OK->ALARM:rule true']);
    await alarms.deleteHistory('web');
    assert.deepEqual(await alarms.history('web', 10), []);
    assert.equal((await alarms.history('api', 10)).length, 1, 'another alarm keeps its history');
    assert.equal(await compositeAlarms.delete('web'), true);
    assert.equal(await compositeAlarms.delete('web'), false);
  });

  it('keeps dashboards by name, listed by prefix in name order, page after page', async () => {
    const { dashboards } = t().store;
    for (const name of ['ops-b', 'ops-a', 'billing']) assert.equal(await dashboards.create(name, dashboard(name)), true);
    assert.deepEqual((await dashboards.get('ops-a'))!.value, dashboard('ops-a'));
    assert.deepEqual((await dashboards.list('ops-', undefined, 10)).map((r) => r.value.name), ['ops-a', 'ops-b']);
    assert.deepEqual((await dashboards.list('', 'billing', 1)).map((r) => r.value.name), ['ops-a']);
    assert.equal(await dashboards.update('ops-a', { ...dashboard('ops-a'), body: '{"widgets":[]}', lastModified: 9 }, 1), true);
    assert.deepEqual((await dashboards.get('ops-a'))!.value.body, '{"widgets":[]}');
    assert.equal(await dashboards.delete('billing'), true);
    assert.equal(await dashboards.get('billing'), undefined);
  });

  it('keeps Logs resource policies by name', async () => {
    const { logResourcePolicies } = t().store;
    assert.equal(await logResourcePolicies.create('events-to-logs', policy('events-to-logs')), true);
    assert.deepEqual(await logResourcePolicies.get('events-to-logs'), { value: policy('events-to-logs'), revision: 1 });
    assert.equal(await logResourcePolicies.update('events-to-logs', { ...policy('events-to-logs'), revisionId: 'r2' }, 1), true);
    assert.equal((await logResourcePolicies.get('events-to-logs'))!.value.revisionId, 'r2');
    assert.deepEqual((await logResourcePolicies.list('', undefined, 50)).length, 1);
    assert.equal(await logResourcePolicies.delete('events-to-logs'), true);
    assert.deepEqual(await logResourcePolicies.list('', undefined, 50), []);
  });
});
