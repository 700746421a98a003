/** PutCompositeAlarm, and how composite alarms render in DescribeAlarms and DescribeAlarmHistory. Parse, call the composite alarm service, render. */
import type { CompositeAlarmService } from '../../../alarms/composite-service.js';
import type { CompositeAlarmRecord } from '../../../alarms/composite-model.js';
import { ALARM_NAME } from '../../../alarms/model.js';
import { CloudWatchErrors } from '../../../wire/errors.js';
import { typedHandlers, type OperationHandler } from '../../../api/service.js';
import { seconds } from './wire.js';
import type { CloudwatchInputs } from '../../../wire/inputs/cloudwatch.js';


export function compositeAlarmHandlers(composites: CompositeAlarmService): Record<string, OperationHandler> {
  return typedHandlers<CloudwatchInputs>({
    async PutCompositeAlarm(i) {
      if (!ALARM_NAME.test(i.AlarmName)) throw CloudWatchErrors.invalidParameterValue(`The value ${i.AlarmName} for parameter AlarmName is invalid. It must be 1 to 255 letters, digits, dots, hyphens or underscores.`);
      let suppressor;
      if (i.ActionsSuppressor !== undefined) {
        for (const member of ['ActionsSuppressorWaitPeriod', 'ActionsSuppressorExtensionPeriod'] as const) {
          if (i[member] === undefined) throw CloudWatchErrors.missingParameter(`The parameter ${member} is required when ActionsSuppressor is given.`);
        }
        suppressor = { alarm: i.ActionsSuppressor, waitPeriodSeconds: i.ActionsSuppressorWaitPeriod!, extensionPeriodSeconds: i.ActionsSuppressorExtensionPeriod! };
      } else if (i.ActionsSuppressorWaitPeriod !== undefined || i.ActionsSuppressorExtensionPeriod !== undefined) {
        throw CloudWatchErrors.invalidParameterCombination('ActionsSuppressorWaitPeriod and ActionsSuppressorExtensionPeriod need ActionsSuppressor.');
      }
      await composites.put(
        {
          name: i.AlarmName,
          ...(i.AlarmDescription !== undefined ? { description: i.AlarmDescription } : {}),
          rule: i.AlarmRule,
          actionsEnabled: i.ActionsEnabled ?? true,
          alarmActions: i.AlarmActions ?? [],
          okActions: i.OKActions ?? [],
          insufficientDataActions: i.InsufficientDataActions ?? [],
          ...(suppressor ? { suppressor } : {}),
        },
        Object.fromEntries((i.Tags ?? []).map((t) => [t.Key, t.Value])),
      );
      return {};
    },
  });
}

export function renderComposite(r: CompositeAlarmRecord, arn: string) {
  const a = r.definition;
  return {
    AlarmName: a.name,
    AlarmArn: arn,
    AlarmDescription: a.description,
    AlarmRule: a.rule,
    ActionsEnabled: a.actionsEnabled,
    OKActions: a.okActions,
    AlarmActions: a.alarmActions,
    InsufficientDataActions: a.insufficientDataActions,
    StateValue: r.state,
    StateReason: r.stateReason,
    StateReasonData: r.stateReasonData,
    StateUpdatedTimestamp: seconds(r.stateUpdatedAt),
    StateTransitionedTimestamp: seconds(r.stateUpdatedAt),
    AlarmConfigurationUpdatedTimestamp: seconds(r.configurationUpdatedAt),
    ActionsSuppressedBy: r.actionsSuppressedBy,
    ActionsSuppressedReason: r.actionsSuppressedReason,
    ActionsSuppressor: a.suppressor?.arn,
    ActionsSuppressorWaitPeriod: a.suppressor?.waitPeriodSeconds,
    ActionsSuppressorExtensionPeriod: a.suppressor?.extensionPeriodSeconds,
  };
}
