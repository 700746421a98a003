import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ScheduleRecord } from '../../src/services/scheduler/model.js';
import { testStoreKind, useTestStore } from '../helpers/test-store.js';

const schedule = (groupName: string, name: string, over: Partial<ScheduleRecord> = {}): ScheduleRecord => ({
  groupName,
  name,
  expression: 'cron(0 9 * * ? *)',
  timezone: 'Europe/Paris',
  startDate: 1_000,
  flexibleWindowMinutes: 15,
  state: 'ENABLED',
  actionAfterCompletion: 'NONE',
  target: { arn: 'arn:aws:sqs:us-east-1:000000000000:q', roleArn: 'arn:aws:iam::000000000000:role/r', input: '{"a":1}', maximumRetryAttempts: 3, maximumEventAgeSeconds: 600 },
  createdAt: 1,
  modifiedAt: 1,
  ...over,
});

describe(`Scheduler groups and schedules (${testStoreKind()})`, () => {
  const t = useTestStore();

  it('groups: created once, listed by prefix and page, deleted with their schedules', async () => {
    const repo = t().store.scheduler;
    const g = (name: string) => ({ name, createdAt: 1, modifiedAt: 1 });
    assert.equal(await repo.createGroup(g('default')), true);
    assert.equal(await repo.createGroup(g('default')), false);
    await repo.createGroup(g('jobs'));
    await repo.createGroup(g('jobs-nightly'));
    assert.deepEqual(await repo.getGroup('jobs'), g('jobs'));
    assert.equal(await repo.updateGroup({ ...g('jobs'), tags: { team: 'a' } }), true);
    assert.deepEqual(await repo.getGroup('jobs'), { ...g('jobs'), tags: { team: 'a' } });
    assert.equal(await repo.updateGroup(g('none')), false);
    assert.deepEqual((await repo.listGroups('jobs', undefined, 10)).map((x) => x.name), ['jobs', 'jobs-nightly']);
    assert.deepEqual((await repo.listGroups('', 'default', 1)).map((x) => x.name), ['jobs']);
    await repo.createSchedule(schedule('jobs', 'a'));
    await repo.createSchedule(schedule('default', 'a'));
    assert.equal(await repo.deleteGroup('jobs'), true);
    assert.equal(await repo.deleteGroup('jobs'), false);
    assert.equal(await repo.getSchedule('jobs', 'a'), undefined);
    assert.deepEqual(await repo.getSchedule('default', 'a'), schedule('default', 'a'));
  });

  it('schedules: created once, updated, listed across groups by page, deleted', async () => {
    const repo = t().store.scheduler;
    assert.equal(await repo.createSchedule(schedule('default', 'b')), true);
    assert.equal(await repo.createSchedule(schedule('default', 'b')), false);
    await repo.createSchedule(schedule('default', 'a'));
    await repo.createSchedule(schedule('ops', 'a'));
    const changed = schedule('default', 'b', { state: 'DISABLED', expression: 'at(2027-01-01T00:00:00)', modifiedAt: 2 });
    assert.equal(await repo.updateSchedule(changed), true);
    assert.equal(await repo.updateSchedule(schedule('default', 'zzz')), false);
    assert.deepEqual(await repo.getSchedule('default', 'b'), changed);
    const key = (s: ScheduleRecord) => `${s.groupName}/${s.name}`;
    assert.deepEqual((await repo.listSchedules(undefined, '', undefined, 10)).map(key), ['default/a', 'default/b', 'ops/a']);
    assert.deepEqual((await repo.listSchedules(undefined, '', ['default', 'b'], 10)).map(key), ['ops/a']);
    assert.deepEqual((await repo.listSchedules('default', 'b', undefined, 10)).map(key), ['default/b']);
    assert.equal(await repo.deleteSchedule('default', 'b'), true);
    assert.equal(await repo.deleteSchedule('default', 'b'), false);
  });
});
