/** The EventBridge Scheduler binding (REST-JSON): schedule groups (with their tags) and schedules. */
import type { ScheduleService } from '../schedule-service.js';
import { DEFAULT_GROUP } from '../model.js';
import { scheduleGroupArn, type Account } from '../../../wire/arn.js';
import { schedulerServiceModel } from '../../../wire/model.js';
import { typedHandlers, type OperationHandler, type ServiceBinding } from '../../../api/service.js';
import { parseSchedule, renderGroup, renderSchedule } from './render.js';
import { groupTagHandlers } from './tags.js';
import type { SchedulerInputs } from '../../../wire/inputs/scheduler.js';

export function schedulerBinding(schedules: ScheduleService, account: Account): ServiceBinding {
  const handlers: Record<string, OperationHandler> = typedHandlers<SchedulerInputs>({
    ...groupTagHandlers(schedules, account),
    async CreateScheduleGroup(i) {
      const g = await schedules.createGroup(i.Name, Object.fromEntries((i.Tags ?? []).map((t) => [t.Key, t.Value])));
      return { ScheduleGroupArn: scheduleGroupArn(account, g.name) };
    },
    async GetScheduleGroup(input) {
      const g = await schedules.group(input.Name);
      return renderGroup(g, scheduleGroupArn(account, g.name));
    },
    async ListScheduleGroups(i) {
      const page = await schedules.listGroups(i.NamePrefix ?? '', i.MaxResults, i.NextToken);
      return { ScheduleGroups: page.items.map((g) => renderGroup(g, scheduleGroupArn(account, g.name))), NextToken: page.nextToken };
    },
    async DeleteScheduleGroup(input) {
      await schedules.deleteGroup(input.Name);
      return {};
    },
    async CreateSchedule(input) {
      const s = await schedules.create(parseSchedule(input));
      return { ScheduleArn: schedules.arn(s) };
    },
    async UpdateSchedule(input) {
      const s = await schedules.update(parseSchedule(input));
      return { ScheduleArn: schedules.arn(s) };
    },
    async GetSchedule(i) {
      const s = await schedules.get(i.GroupName ?? DEFAULT_GROUP, i.Name);
      return renderSchedule(s, schedules.arn(s));
    },
    async ListSchedules(i) {
      const page = await schedules.list(i.GroupName, i.NamePrefix ?? '', i.State, i.MaxResults, i.NextToken);
      return {
        Schedules: page.items.map((s) => ({
          Arn: schedules.arn(s),
          Name: s.name,
          GroupName: s.groupName,
          State: s.state,
          CreationDate: s.createdAt / 1000,
          LastModificationDate: s.modifiedAt / 1000,
          Target: { Arn: s.target.arn },
        })),
        NextToken: page.nextToken,
      };
    },
    async DeleteSchedule(i) {
      await schedules.delete(i.GroupName ?? DEFAULT_GROUP, i.Name);
      return {};
    },
  });
  return { models: [schedulerServiceModel], handlers };
}
