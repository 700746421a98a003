/** Asynchronous invocation, assembled: event invoke configs, destinations and the durable event dispatcher. */
import type { AliasService } from '../functions/alias-service.js';
import type { FunctionService } from '../functions/function-service.js';
import type { VersionService } from '../functions/version-service.js';
import type { Invoker } from '../invoke/invoker.js';
import type { Clock } from '../lib/clock.js';
import type { Logger } from '../lib/logger.js';
import type { QueueSystem } from '../services/sqs/queue-system.js';
import type { AsyncEventRepo, EventInvokeConfigRepo } from '../storage/store.js';
import type { Account } from '../wire/arn.js';
import { AsyncInvocations } from './async-invocations.js';
import type { AsyncMetrics } from './async-metrics.js';
import { Destinations } from './destinations.js';
import { EventInvokeConfigs } from './event-invoke-configs.js';
import { RetryPolicy } from './retry-policy.js';

export interface AsyncSystem {
  readonly events: AsyncInvocations;
  readonly configs: EventInvokeConfigs;
  readonly destinations: Destinations;
}

export interface AsyncSystemDeps {
  events: AsyncEventRepo;
  configs: EventInvokeConfigRepo;
  invoker: Invoker;
  functions: FunctionService;
  versions: VersionService;
  aliases: AliasService;
  queues: QueueSystem;
  clock: Clock;
  logger: Logger;
  account: Account;
  /** Multiplies retry delays and throttle backoff (the --async-retry-scale option). */
  retryScale: number;
  /** Lambda's async metrics (received, age, dropped, delivery failures). */
  metrics?: AsyncMetrics;
  /** This node: its id in the fleet, and whether it is the only server of its store. */
  node: { id: string; sole: boolean };
}

export function createAsyncSystem(d: AsyncSystemDeps): AsyncSystem {
  let events: AsyncInvocations | undefined;
  const destinations = new Destinations(d.queues, d.functions, d.account, (ref, payload) => events!.submitRef(ref, payload), d.logger);
  const configs = new EventInvokeConfigs(d.configs, d.functions, d.versions, d.aliases, destinations, d.clock);
  events = new AsyncInvocations({
    repo: d.events,
    invoker: d.invoker,
    functions: d.functions,
    configs,
    destinations,
    policy: new RetryPolicy(d.retryScale),
    clock: d.clock,
    logger: d.logger,
    account: d.account,
    metrics: d.metrics,
    node: d.node,
  });
  return { events, configs, destinations };
}
