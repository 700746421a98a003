/** EventBridge PutPermission and RemovePermission: a bus's resource-based policy. */
import type { EventSystem } from '../event-system.js';
import { DEFAULT_BUS } from '../model.js';
import { checked, grantStatement, withoutStatement, withStatement } from '../bus-policy.js';
import { eventBusArn, eventBusNameOf, type Account } from '../../../wire/arn.js';
import { ProtocolErrors } from '../../../wire/errors.js';
import { typedHandlers, type OperationHandler } from '../../../api/service.js';
import type { EventsInputs } from '../../../wire/inputs/events.js';

export function permissionHandlers(events: EventSystem, account: Account): Record<string, OperationHandler> {
  return typedHandlers<EventsInputs>({
    async PutPermission(i) {
      const bus = eventBusNameOf(i.EventBusName ?? DEFAULT_BUS);
      if (i.Policy !== undefined) {
        const policy = checked(i.Policy);
        await events.buses.changePolicy(bus, () => policy);
        return {};
      }
      if (i.Action === undefined || i.Principal === undefined || i.StatementId === undefined) {
        throw ProtocolErrors.validation('Either Policy, or Action, Principal and StatementId, must be given.');
      }
      const statement = grantStatement(
        { statementId: i.StatementId, action: i.Action, principal: i.Principal, condition: i.Condition && { type: i.Condition.Type, key: i.Condition.Key, value: i.Condition.Value } },
        eventBusArn(account, bus),
      );
      await events.buses.changePolicy(bus, (policy) => withStatement(policy, statement));
      return {};
    },

    async RemovePermission(i) {
      const bus = eventBusNameOf(i.EventBusName ?? DEFAULT_BUS);
      if (i.RemoveAllPermissions) {
        await events.buses.changePolicy(bus, () => undefined);
        return {};
      }
      if (i.StatementId === undefined) throw ProtocolErrors.validation('Either StatementId or RemoveAllPermissions must be given.');
      const sid = i.StatementId;
      await events.buses.changePolicy(bus, (policy) => withoutStatement(policy, sid));
      return {};
    },
  });
}
