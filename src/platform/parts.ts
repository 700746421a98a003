/** The platform's parts, by group, as the router, the HTTP surface and the start and stop sequences see them. */
import type { Events } from './events.js';
import type { Fleet } from './fleet.js';
import type { Foundation } from './foundation.js';
import type { Gateways } from './gateways.js';
import type { Invocation } from './invocation.js';
import type { Lambda } from './lambda.js';
import type { Logs } from './logs.js';
import type { Messaging } from './messaging.js';
import type { Monitoring } from './monitoring.js';
import type { Streams } from './streams.js';

export interface Parts {
  readonly f: Foundation;
  readonly logs: Logs;
  readonly lambda: Lambda;
  readonly invocation: Invocation;
  readonly fleet: Fleet;
  readonly events: Events;
  readonly monitoring: Monitoring;
  readonly streams: Streams;
  readonly messaging: Messaging;
  readonly gateways: Gateways;
}
