/** The EventBridge service binding (JSON protocol): buses, rules, targets, PutEvents, connections and API destinations. */
import type { EventSystem } from '../event-system.js';
import type { Account } from '../../../wire/arn.js';
import { eventsServiceModel } from '../../../wire/model.js';
import type { ServiceBinding } from '../../../api/service.js';
import { archiveHandlers } from './archives.js';
import { busHandlers } from './buses.js';
import { connectionHandlers } from './connections.js';
import { permissionHandlers } from './permissions.js';
import { putEventsHandlers } from './put-events.js';
import { ruleHandlers } from './rules.js';
import { tagHandlers } from './tags.js';

export function eventsBinding(events: EventSystem, account: Account): ServiceBinding {
  return { models: [eventsServiceModel], handlers: { ...busHandlers(events, account), ...permissionHandlers(events, account), ...ruleHandlers(events, account), ...putEventsHandlers(events), ...archiveHandlers(events, account), ...tagHandlers(events, account), ...connectionHandlers(events) } };
}
