/** DynamoDB's services, wired together: what main.ts starts and stops. */
import type { Clock } from '../../lib/clock.js';
import type { Logger } from '../../lib/logger.js';
import type { DynamoDbRepo } from '../../storage/dynamodb-repo.js';
import type { Account } from '../../wire/arn.js';
import { Backfills } from './backfill.js';
import { PartiqlStatements } from './partiql/statements.js';
import { ItemService } from './item-service.js';
import { Queries } from './queries.js';
import { StreamService } from './stream-service.js';
import { watchStreamWrites } from './stream-watch.js';
import { TableService } from './table-service.js';
import { Transactions } from './transactions.js';
import { TtlSweeper } from './ttl-sweeper.js';

export interface DynamoDbSystem {
  tables: TableService;
  items: ItemService;
  queries: Queries;
  transactions: Transactions;
  partiql: PartiqlStatements;
  streams: StreamService;
  /** Calls `listener` with a stream's ARN after writes add records to it (in this process). */
  onStreamWrite(listener: (streamArn: string) => void): () => void;
  start(): void;
  stop(): Promise<void>;
}

export function createDynamoDbSystem(store: DynamoDbRepo, clock: Clock, logger: Logger, account: Account): DynamoDbSystem {
  const watch = watchStreamWrites(store);
  const repo = watch.repo;
  const backfills = new Backfills(repo, clock, logger);
  const tables = new TableService(repo, clock, account, backfills, logger);
  const sweeper = new TtlSweeper(repo, clock, logger);
  const items = new ItemService(repo, tables, clock);
  const queries = new Queries(repo, tables);
  const transactions = new Transactions(repo, tables, clock);
  return {
    tables,
    items,
    queries,
    transactions,
    partiql: new PartiqlStatements(tables, items, queries, transactions),
    streams: new StreamService(repo, clock),
    onStreamWrite: (listener) => watch.onWrite(listener),
    start: () => sweeper.start(),
    stop: async () => {
      await sweeper.stop();
      await backfills.drain();
    },
  };
}
