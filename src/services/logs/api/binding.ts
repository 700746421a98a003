/** CloudWatch Logs on the one router: its model and every handler, from the log store and the sink that writes to it. */
import type { ServiceBinding } from '../../../api/service.js';
import type { Clock } from '../../../lib/clock.js';
import type { LogRepo } from '../../../storage/store.js';
import type { LogRetention } from '../../../telemetry/log-retention.js';
import type { BufferedLogSink, LogSink } from '../../../telemetry/log-sink.js';
import type { Account } from '../../../wire/arn.js';
import { logsServiceModel } from '../../../wire/model.js';
import { logGroupHandlers } from './groups.js';
import { logsHandlers } from './logs.js';
import { logStreamHandlers } from './streams.js';

export interface LogsDeps {
  repo: LogRepo;
  /** Where written events go: the filters, then the buffer. */
  sink: LogSink;
  /** The buffer in front of the store, flushed before reads. */
  buffered: BufferedLogSink;
  retention: LogRetention;
  clock: Clock;
  account: Account;
}

export function logsBinding(d: LogsDeps): ServiceBinding {
  return {
    models: [logsServiceModel],
    handlers: {
      ...logsHandlers(d.repo, d.buffered, d.retention, d.account),
      ...logGroupHandlers(d.repo, d.buffered, d.clock, d.account),
      ...logStreamHandlers(d.repo, d.sink, d.buffered, d.clock),
    },
  };
}
