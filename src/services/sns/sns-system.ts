/** SNS, assembled: topics, subscriptions, the publisher and its deliverers over one store. */
import { join } from 'node:path';
import type { Clock } from '../../lib/clock.js';
import type { Logger } from '../../lib/logger.js';
import type { QueueSystem } from '../sqs/queue-system.js';
import type { SnsRepo } from '../../storage/store.js';
import type { Account } from '../../wire/arn.js';
import { DeadLetters } from './dead-letters.js';
import { EmailJsonDelivery } from './deliveries/email-json-delivery.js';
import { DurableHttpDelivery } from './deliveries/durable-http-delivery.js';
import { HttpDelivery } from './deliveries/http-delivery.js';
import { LambdaDelivery, type InvokeAsync } from './deliveries/lambda-delivery.js';
import { SqsDelivery } from './deliveries/sqs-delivery.js';
import type { EnvelopeContext } from './envelopes.js';
import { Publisher } from './publisher.js';
import { MessageSigner } from './signing.js';
import { SubscriptionService } from './subscription-service.js';
import { TopicService } from './topic-service.js';

export interface SnsSystem {
  readonly topics: TopicService;
  readonly subscriptions: SubscriptionService;
  readonly publisher: Publisher;
  readonly signer: MessageSigner;
  /** Resumes the HTTP deliveries a previous server left under way; how many. */
  resume(): Promise<number>;
  /** Cancels HTTP retries (they resume at the next start) and waits for deliveries under way. */
  stop(): Promise<void>;
}

export interface SnsSystemDeps {
  repo: SnsRepo;
  queues: QueueSystem;
  invokeAsync: InvokeAsync;
  clock: Clock;
  logger: Logger;
  account: Account;
  baseUrl: () => string;
  /** Where the signing certificate is served from: the TLS listener when there is one. */
  certBaseUrl: () => string;
  dataDir: string;
}

export async function createSnsSystem(d: SnsSystemDeps): Promise<SnsSystem> {
  const signer = await MessageSigner.open(join(d.dataDir, 'sns'));
  const ctx: EnvelopeContext = { baseUrl: d.baseUrl, certBaseUrl: d.certBaseUrl, signer };
  const http = new HttpDelivery(d.clock, ctx, d.logger);
  const email = new EmailJsonDelivery(d.clock, ctx, d.logger);
  const topics = new TopicService(d.repo, d.clock, d.account);
  const subscriptions = new SubscriptionService(d.repo, topics, d.clock, d.account, (s, topic) =>
    s.protocol === 'email-json' ? email.confirm(s, topic) : http.confirm(s, topic),
  );
  const deadLetters = new DeadLetters(d.queues, ctx, d.logger);
  const durableHttp = new DurableHttpDelivery(http, d.repo, deadLetters, d.clock, d.logger);
  const publisher = new Publisher({
    repo: d.repo,
    topics,
    subscriptions,
    deliverers: { sqs: new SqsDelivery(d.queues, ctx), lambda: new LambdaDelivery(d.invokeAsync, d.account, ctx), http: durableHttp, https: durableHttp, 'email-json': email },
    deadLetters,
    clock: d.clock,
    logger: d.logger,
  });
  return {
    topics,
    subscriptions,
    publisher,
    signer,
    resume: () => durableHttp.resume(),
    async stop() {
      http.stop();
      await Promise.all([publisher.drain(), durableHttp.drain()]);
    },
  };
}
