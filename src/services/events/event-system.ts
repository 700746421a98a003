/** EventBridge, assembled: buses, rules, ingest and target delivery. */
import type { AsyncInvocations } from '../../async/async-invocations.js';
import type { FunctionService } from '../../functions/function-service.js';
import type { Clock } from '../../lib/clock.js';
import type { Logger } from '../../lib/logger.js';
import type { QueueSystem } from '../sqs/queue-system.js';
import type { SchedulingCore } from '../../schedules/scheduling-core.js';
import type { DocumentRepo, EventArchiveRepo, EventBridgeRepo, EventDeliveryRepo, ScheduleStateRepo } from '../../storage/store.js';
import { ApiDestinationService } from './api-destination-service.js';
import { apiDestinationSender } from './api-destination-sender.js';
import type { ApiDestinationRecord, ConnectionRecord } from './connection-model.js';
import { ConnectionService, type SecretsPort } from './connection-service.js';
import type { Account } from '../../wire/arn.js';
import { BusService } from './bus-service.js';
import { EventCounters } from './counters.js';
import { EventIngest } from './event-ingest.js';
import { RuleService } from './rule-service.js';
import { ScheduledRules } from './scheduled-rules.js';
import { ArchiveService } from './archive-service.js';
import { ReplayService } from './replay-service.js';
import { universalSender, type CallApi } from '../scheduler/universal-target.js';
import { busSender, byResource, lambdaSender, queueDeadLetters, snsSender, sqsSender, type TopicPublish } from './senders.js';
import { TargetDelivery } from './target-delivery.js';

export interface EventSystem {
  readonly buses: BusService;
  readonly rules: RuleService;
  readonly ingest: EventIngest;
  readonly counters: EventCounters;
  readonly scheduled: ScheduledRules;
  readonly archives: ArchiveService;
  readonly replays: ReplayService;
  readonly connections: ConnectionService;
  readonly apiDestinations: ApiDestinationService;
  /** Delivery to targets with retries and dead letters, which Scheduler shares. */
  readonly delivery: TargetDelivery;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export interface EventSystemDeps {
  repo: EventBridgeRepo;
  archiveRepo: EventArchiveRepo;
  connectionRepo: DocumentRepo<ConnectionRecord>;
  apiDestinationRepo: DocumentRepo<ApiDestinationRecord>;
  /** Secrets Manager, which keeps connections' credentials. */
  secrets: SecretsPort;
  /** SNS topics as targets; SNS is assembled after EventBridge, so this is looked up when called. */
  publishToTopic: TopicPublish;
  states: ScheduleStateRepo;
  /** Deliveries waiting for a retry. */
  pending: EventDeliveryRepo;
  /** Scheduled rules fire through the platform's one scheduling core. */
  core: SchedulingCore;
  functions: FunctionService;
  asyncEvents: AsyncInvocations;
  queues: QueueSystem;
  clock: Clock;
  logger: Logger;
  account: Account;
  retryScale: number;
  /** Scheduler's universal targets: an operation of a served service, called in process. */
  callApi: CallApi;
}

export function createEventSystem(d: EventSystemDeps): EventSystem {
  const buses = new BusService(d.repo, d.clock);
  const rules = new RuleService(d.repo, buses, d.clock, d.account);
  const counters = new EventCounters();
  const archives = new ArchiveService(d.archiveRepo, buses, rules, d.clock);
  const connections = new ConnectionService(d.connectionRepo, d.secrets, d.clock, d.logger, d.account);
  const apiDestinations = new ApiDestinationService(d.apiDestinationRepo, connections, d.clock, d.account);
  // Bus targets deliver through the ingest, which needs delivery first: bound when called.
  let ingest: EventIngest | undefined;
  const delivery = new TargetDelivery({
    senders: {
      lambda: lambdaSender(d.functions, d.asyncEvents, d.account),
      sqs: sqsSender(d.queues, d.account),
      sns: snsSender(d.publishToTopic),
      // An events ARN names a bus or an API destination.
      events: byResource({ 'api-destination': apiDestinationSender(apiDestinations, connections, d.clock) }, busSender((event, bus) => ingest!.deliver(event, bus))),
      scheduler: universalSender(d.callApi),
    },
    deadLetters: queueDeadLetters(d.queues),
    pending: d.pending,
    counters,
    clock: d.clock,
    logger: d.logger,
    retryScale: d.retryScale,
  });
  ingest = new EventIngest({ buses, rules, delivery, archives, counters, clock: d.clock, account: d.account });
  const replays = new ReplayService({ repo: d.archiveRepo, archives, route: (event, bus, accepts) => ingest!.deliver(event, bus, accepts), clock: d.clock, logger: d.logger });
  const scheduled = new ScheduledRules({ core: d.core, states: d.states, rules, delivery, counters, account: d.account });
  return {
    buses,
    rules,
    ingest: ingest,
    counters,
    scheduled,
    delivery,
    archives,
    replays,
    connections,
    apiDestinations,
    start: async () => {
      await buses.ensureDefault();
      await delivery.start();
      await scheduled.start();
      await replays.resume();
    },
    stop: async () => {
      await replays.stop();
      await delivery.stop();
      await connections.settle();
    },
  };
}
