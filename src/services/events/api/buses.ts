/** EventBridge event bus operations: parse, call the bus service, render. */
import type { EventSystem } from '../event-system.js';
import { DEFAULT_BUS } from '../model.js';
import { eventBusArn, eventBusNameOf, type Account } from '../../../wire/arn.js';
import { ProtocolErrors } from '../../../wire/errors.js';
import { typedHandlers, type OperationHandler } from '../../../api/service.js';
import { renderBus } from './render.js';
import type { EventsInputs } from '../../../wire/inputs/events.js';

export function busHandlers(events: EventSystem, account: Account): Record<string, OperationHandler> {
  return typedHandlers<EventsInputs>({
    async CreateEventBus(i) {
      if (i.EventSourceName !== undefined) throw ProtocolErrors.notImplemented('CreateEventBus for a partner event source');
      const bus = await events.buses.create(i.Name, i.Description, Object.fromEntries((i.Tags ?? []).map((t) => [t.Key, t.Value])));
      return { EventBusArn: eventBusArn(account, bus.name), ...(bus.description !== undefined ? { Description: bus.description } : {}) };
    },

    async DescribeEventBus(i) {
      const bus = await events.buses.get(eventBusNameOf(i.Name ?? DEFAULT_BUS));
      return renderBus(bus, eventBusArn(account, bus.name));
    },

    async ListEventBuses(i) {
      const page = await events.buses.list(i.NamePrefix ?? '', i.Limit, i.NextToken);
      return { EventBuses: page.items.map((b) => renderBus(b, eventBusArn(account, b.name))), NextToken: page.nextToken };
    },

    async DeleteEventBus(input) {
      await events.buses.delete(eventBusNameOf(input.Name));
      return {};
    },
  });
}
