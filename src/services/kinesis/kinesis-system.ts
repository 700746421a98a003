/** Kinesis Data Streams, assembled: streams, records, consumers, and the sweeper that trims records past retention. */
import type { Clock } from '../../lib/clock.js';
import { Periodic } from '../../lib/periodic.js';
import type { Logger } from '../../lib/logger.js';
import type { KinesisRepo } from '../../storage/kinesis-repo.js';
import type { Account } from '../../wire/arn.js';
import { ConsumerService } from './consumers.js';
import { RecordService } from './record-service.js';
import { StreamService } from './stream-service.js';

const SWEEP_MS = 60_000;

export interface KinesisSystem {
  readonly streams: StreamService;
  readonly records: RecordService;
  readonly consumers: ConsumerService;
  start(): void;
  stop(): Promise<void>;
  /** Deletes records past their stream's retention now; how many. */
  sweep(): Promise<number>;
}

export function createKinesisSystem(repo: KinesisRepo, clock: Clock, logger: Logger, account: Account): KinesisSystem {
  const streams = new StreamService(repo, clock, account);
  const records = new RecordService(repo, streams, clock);
  const consumers = new ConsumerService(streams, clock);
  const sweep = async (): Promise<number> => {
    let trimmed = 0;
    let after: string | undefined;
    for (;;) {
      const page = await repo.listStreams(after, 100);
      for (const s of page) trimmed += await repo.trim(s.name, clock.now() - s.retentionHours * 3_600_000);
      if (page.length < 100) return trimmed;
      after = page[page.length - 1]!.name;
    }
  };
  const sweeps = new Periodic(clock, () => SWEEP_MS, sweep, (err) => logger.warn('kinesis retention sweep failed', { error: String(err) }));

  return {
    streams,
    records,
    consumers,
    sweep,
    start: () => sweeps.start(),
    stop: () => sweeps.stop(),
  };
}
