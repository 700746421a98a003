/**
 * Rewrites every item of a table as it is, in pages, in the background: each item's index rows and
 * TTL expiry are derived again from the table's current definition. Each page is one transaction
 * that re-reads its items, so a write racing the backfill is never undone.
 */
import type { Clock } from '../../lib/clock.js';
import type { Logger } from '../../lib/logger.js';
import type { DynamoDbRepo, ItemRef } from '../../storage/dynamodb-repo.js';
import { HASH_SPACE } from './key-codec.js';
import { itemWrite } from './item-writes.js';
import { refOfItem } from './keys.js';
import { encodeKey } from './key-codec.js';

const PAGE = 100;

export class Backfills {
  private readonly running = new Set<Promise<void>>();

  constructor(
    private readonly repo: DynamoDbRepo,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  start(table: string, what: string, then: (table: string) => Promise<void>): void {
    const run = this.run(table)
      .then(() => then(table))
      .catch((err: unknown) => this.logger.error('dynamodb backfill failed', { table, what, error: String(err) }))
      .finally(() => this.running.delete(run));
    this.running.add(run);
  }

  private async run(name: string): Promise<void> {
    let after: { hash: number; pk: Buffer; sk: Buffer } | undefined;
    for (;;) {
      const t = await this.repo.getTable(name);
      if (!t) return;
      const page = await this.repo.scan({ table: name, index: undefined, hashFrom: 0, hashTo: HASH_SPACE, after, limit: PAGE });
      if (page.length === 0) return;
      const refs: ItemRef[] = page.map((p) => refOfItem(t, p.item));
      await this.repo.writeItems(refs, (current) =>
        refs.flatMap((ref, i) => (current[i] ? [itemWrite(t, ref, current[i], current[i], { now: this.clock.now(), withStream: false })] : [])),
      );
      const last = page[page.length - 1]!;
      after = { hash: last.hash, pk: encodeKey(last.item[t.key.hash.name]!), sk: t.key.range ? encodeKey(last.item[t.key.range.name]!) : Buffer.alloc(0) };
    }
  }

  /** Waits for the backfills under way (the server is stopping). */
  async drain(): Promise<void> {
    await Promise.all([...this.running]);
  }
}
