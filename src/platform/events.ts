/**
 * Asynchronous delivery and what rides on it: Event invokes with retries and destinations,
 * EventBridge (rules deliver to functions through the async machinery, and to queues), and Scheduler.
 */
import type { AwsRouter } from '../api/router.js';
import { createAsyncSystem } from '../async/async-system.js';
import { LeasedScheduling } from '../schedules/leased-scheduling.js';
import { SchedulingCore } from '../schedules/scheduling-core.js';
import { createEventSystem } from '../services/events/event-system.js';
import { ScheduleService } from '../services/scheduler/schedule-service.js';
import type { SnsSystem } from '../services/sns/sns-system.js';
import { FLEET_ROLES, type Fleet } from './fleet.js';
import type { Foundation } from './foundation.js';
import type { Invocation } from './invocation.js';
import type { Lambda } from './lambda.js';
import type { Late } from './late.js';
import type { PlatformOverrides } from './overrides.js';

export type Events = ReturnType<typeof createEvents>;

export function createEvents(
  { config, store, clock, scaledClock, retryScale, logger, account, vault }: Foundation,
  { functions, versions, aliases }: Lambda,
  { invoker, queues, metrics }: Invocation,
  { member, shared }: Fleet,
  overrides: PlatformOverrides,
  sns: Late<SnsSystem>,
  router: Late<AwsRouter>,
) {
  const asyncSystem = createAsyncSystem({
    events: store.asyncEvents,
    configs: store.eventInvokeConfigs,
    invoker,
    functions,
    versions,
    aliases,
    queues,
    clock,
    logger,
    account,
    retryScale,
    metrics,
    node: { id: member.id, sole: !shared },
  });
  // A running event belongs to the node running it: a live node queues again those of a dead one.
  if (shared) member.afterEachBeat(() => asyncSystem.events.requeueOrphaned(config.nodeDeadAfterMs));
  // EventBridge: rules deliver to functions through the async machinery above, and to queues.
  const schedules = new SchedulingCore(store.scheduleStates, overrides.scheduleClock ?? scaledClock, logger);
  const eventSystem = createEventSystem({
    repo: store.eventBridge,
    archiveRepo: store.eventArchives,
    connectionRepo: store.eventConnections,
    apiDestinationRepo: store.apiDestinations,
    secrets: vault.secrets,
    publishToTopic: (r) => sns.get().publisher.publish({ ...r, attributes: {} }),
    states: store.scheduleStates,
    pending: store.eventDeliveries,
    core: schedules,
    functions,
    asyncEvents: asyncSystem.events,
    queues,
    clock,
    logger,
    account,
    retryScale,
    callApi: (prefix, operation, input) => router.get().call(prefix, operation, input as never),
  });
  const scheduler = new ScheduleService({
    repo: store.scheduler,
    core: schedules,
    states: store.scheduleStates,
    delivery: eventSystem.delivery,
    // Its dates anchor rate() schedules, so they follow the schedule clock.
    clock: overrides.scheduleClock ?? scaledClock,
    account,
  });
  // One node of a fleet fires the schedules: the one holding their lease, which loads from the
  // store those the other nodes created, changed or deleted.
  const scheduling = new LeasedScheduling(schedules, [eventSystem.scheduled, scheduler], () => member.holds(FLEET_ROLES.schedules), logger);
  member.afterEachBeat(() => scheduling.afterBeat());
  return { asyncSystem, schedules, scheduling, eventSystem, scheduler };
}
