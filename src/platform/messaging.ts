/** SNS (deliveries to functions are Event invokes through the async machinery), and S3, whose notifications go to functions, queues, topics and the default event bus. */
import { platformSinks } from '../services/s3/platform-sinks.js';
import { createS3System } from '../services/s3/s3-system.js';
import { createSnsSystem } from '../services/sns/sns-system.js';
import type { Events } from './events.js';
import type { Foundation } from './foundation.js';
import type { Invocation } from './invocation.js';
import type { Lambda } from './lambda.js';
import type { PlatformOverrides } from './overrides.js';

export type Messaging = Awaited<ReturnType<typeof createMessaging>>;

export async function createMessaging(
  { config, store, clock, logger, account, addresses }: Foundation,
  { functions }: Lambda,
  { queues }: Invocation,
  { asyncSystem, eventSystem }: Events,
  overrides: PlatformOverrides,
) {
  const sns = await createSnsSystem({
    repo: store.sns,
    queues,
    invokeAsync: (ref, payload) => asyncSystem.events.submitRef(ref, payload),
    clock,
    logger,
    account,
    baseUrl: () => addresses.url,
    certBaseUrl: () => addresses.tlsUrl ?? addresses.url,
    dataDir: config.dataDir,
  });
  const s3 = createS3System({ repo: store.s3, blobs: store.s3Blobs, clock: overrides.s3Clock ?? clock, logger, region: config.region, sinks: platformSinks(functions, asyncSystem, queues, account, sns, eventSystem) });
  return { sns, s3 };
}
