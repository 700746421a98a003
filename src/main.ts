/** Composition root: config -> services -> start; stop in reverse order. */
import { join } from 'node:path';
import { adminRoutes } from './api/admin.js';
import { buildHttpServer } from './api/http-server.js';
import { concurrencyHandlers } from './api/lambda/concurrency.js';
import { functionHandlers } from './api/lambda/functions.js';
import { invokeHandlers } from './api/lambda/invoke.js';
import { logsHandlers } from './api/logs/logs.js';
import { sqsBinding } from './api/sqs/binding.js';
import { CodeStore } from './code/code-store.js';
import { loadConfig, type Config, type ConfigInput } from './config/config.js';
import type { ProcessLauncher } from './environments/launcher.js';
import { PoolRegistry } from './environments/registry.js';
import { selectLauncher } from './environments/sandbox/select-launcher.js';
import { FunctionService } from './functions/function-service.js';
import { AsyncInvoker } from './invoke/async-invoker.js';
import { ConcurrencyLimiter } from './invoke/concurrency.js';
import { Invoker } from './invoke/invoker.js';
import { systemClock, type Clock } from './lib/clock.js';
import { createLogger, type Logger } from './lib/logger.js';
import { createQueueSystem } from './queues/queue-system.js';
import { acceptAnySignature } from './security/authenticator.js';
import { openSqliteStore } from './storage/sqlite/sqlite-store.js';
import { BufferedLogSink } from './telemetry/log-sink.js';
import { lambdaServiceModel, logsServiceModel } from './wire/model.js';

export interface Platform {
  readonly config: Config;
  /** Base URL of the AWS-compatible APIs, e.g. http://127.0.0.1:9000 */
  readonly url: string;
  readonly port: number;
  environmentCount(): number;
  stop(): Promise<void>;
}

export interface PlatformOverrides {
  clock?: Clock;
  logger?: Logger;
  launcher?: ProcessLauncher;
}

/** Credentials the AWS SDK inside a function uses to call this server back. */
const FUNCTION_CREDENTIALS = {
  accessKeyId: 'ASIASELFLESSFUNCTION',
  secretAccessKey: 'selfless-function-secret-access-key',
  sessionToken: 'selfless-function-session-token',
};

export async function startPlatform(input: ConfigInput, overrides: PlatformOverrides = {}): Promise<Platform> {
  const config = loadConfig(input);
  const clock = overrides.clock ?? systemClock;
  const logger = overrides.logger ?? createLogger(config.logLevel);
  const account = { region: config.region, accountId: config.accountId };

  const store = openSqliteStore(config.dataDir);
  const code = new CodeStore(join(config.dataDir, 'code'));
  const logSink = new BufferedLogSink(store.logs, clock, logger);
  const limiter = new ConcurrencyLimiter(config.concurrencyLimit);
  let url = '';
  const { launcher, cgroups } = selectLauncher(config.sandbox, join(config.dataDir, 'sandbox'), logger);
  const pools = new PoolRegistry(
    {
      launcher: overrides.launcher ?? launcher,
      freeze: config.freeze,
      clock,
      logger,
      logs: logSink,
      runtimeApiHost: '127.0.0.1',
      initTimeoutMs: config.initTimeoutMs,
      idleTimeoutMs: config.idleTimeoutMs,
    },
    { region: config.region, endpointUrl: () => url, credentials: FUNCTION_CREDENTIALS },
    (sha) => code.unpacked(sha),
  );
  const functions = new FunctionService(store.functions, code, clock, account, {
    functionChanged: (name) => pools.reset(name),
    reservedConcurrencyChanged: (total) => limiter.setTotalReserved(total),
  });
  limiter.setTotalReserved(await functions.totalReserved());
  const invoker = new Invoker(functions, pools, limiter, clock);
  const asyncInvoker = new AsyncInvoker(invoker, clock, logger);
  const queues = createQueueSystem(store.queues, clock, account, () => url);

  const app = buildHttpServer({
    restJson: {
      model: lambdaServiceModel,
      handlers: {
        ...functionHandlers(functions, account),
        ...invokeHandlers(invoker, asyncInvoker, account),
        ...concurrencyHandlers(functions, limiter, account, config.unreservedMinimum),
      },
    },
    json: [{ model: logsServiceModel, handlers: logsHandlers(store.logs, logSink, account) }, sqsBinding(queues, account.accountId)],
    admin: adminRoutes(functions, pools, account),
    authenticator: acceptAnySignature,
    logger,
  });

  await app.listen({ port: config.port, host: config.host });
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : config.port;
  const publicHost = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  url = `http://${publicHost.includes(':') ? `[${publicHost}]` : publicHost}:${port}`;
  logger.info('selfless is serving', { url, dataDir: config.dataDir, environments: (overrides.launcher ?? launcher).description });

  let stopping: Promise<void> | undefined;
  return {
    config,
    url,
    port,
    environmentCount: () => pools.environmentCount(),
    stop: () =>
      (stopping ??= (async () => {
        await queues.stop(); // ends long polls at once
        asyncInvoker.stop();
        await invoker.drain(config.shutdownGraceMs);
        await pools.stopAll('the server is shutting down');
        // Invocations ended by the stop above still owe their callers an answer.
        await invoker.drain(1000);
        await app.close();
        await logSink.flush();
        await store.close();
        cgroups.dispose();
        logger.info('selfless stopped');
      })()),
  };
}
