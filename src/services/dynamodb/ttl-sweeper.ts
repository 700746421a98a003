/**
 * Deletes items whose TTL has passed, on the injected clock, each in its own transaction that checks
 * the item is still expired; the deletion's stream record names DynamoDB as its author. Also trims
 * stream records older than 24 hours.
 */
import type { Clock, Timer } from '../../lib/clock.js';
import type { Logger } from '../../lib/logger.js';
import type { DynamoDbRepo } from '../../storage/dynamodb-repo.js';
import { expiryOf, itemWrite } from './item-writes.js';
import { RETENTION_MS } from './stream-service.js';

const SWEEP_EVERY_MS = 30_000;
const BATCH = 100;

export class TtlSweeper {
  private timer: Timer | undefined;
  private sweeping: Promise<void> | undefined;
  /** A tick came while a sweep was running: sweep again when it ends, so no tick is lost. */
  private again = false;
  private stopped = false;

  constructor(
    private readonly repo: DynamoDbRepo,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  start(): void {
    this.schedule();
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = this.clock.setTimeout(() => {
      this.schedule();
      this.tick();
    }, SWEEP_EVERY_MS);
  }

  private tick(): void {
    if (this.sweeping) {
      this.again = true;
      return;
    }
    this.sweeping = this.sweep()
      .then(() => undefined)
      .catch((err: unknown) => this.logger.error('dynamodb ttl sweep failed', { error: String(err) }))
      .finally(() => {
        this.sweeping = undefined;
        if (this.again && !this.stopped) {
          this.again = false;
          this.tick();
        }
      });
  }

  async sweep(): Promise<number> {
    const now = this.clock.now();
    let deleted = 0;
    for (const table of await this.repo.tablesWithTtl()) {
      for (;;) {
        const refs = await this.repo.expired(table.name, Math.floor(now / 1000), BATCH);
        for (const ref of refs) {
          await this.repo.writeItems([ref], ([current]) => {
            const at = expiryOf(table, current);
            if (current === undefined || at === undefined || at >= now / 1000) return [];
            deleted++;
            return [itemWrite(table, ref, current, undefined, { now, withStream: true, byService: true })];
          });
        }
        if (refs.length < BATCH) break;
      }
    }
    await this.repo.trimStreams(now - RETENTION_MS);
    return deleted;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.timer?.cancel();
    await this.sweeping;
  }
}
