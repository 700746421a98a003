/** The built-in queue service, assembled: queues, messages and move tasks over one store. */
import type { Clock } from '../../lib/clock.js';
import type { ChangeSignals } from '../../storage/change-signals.js';
import type { QueueRepo } from '../../storage/store.js';
import type { Account } from '../../wire/arn.js';
import { MessageService } from './message-service.js';
import { MoveTasks } from './move-tasks.js';
import { QueueService } from './queue-service.js';

export interface QueueSystem {
  readonly queues: QueueService;
  readonly messages: MessageService;
  readonly moves: MoveTasks;
  /** Ends long polls at once and writes pending sends. */
  stop(): Promise<void>;
}

export function createQueueSystem(repo: QueueRepo, clock: Clock, account: Account, baseUrl: () => string, signals?: ChangeSignals): QueueSystem {
  let messages: MessageService | undefined;
  const changed = (queue: string) => messages?.changed(queue);
  const queues = new QueueService({ repo, clock, account, baseUrl, changed, ...(signals ? { signals } : {}) });
  messages = new MessageService(queues, repo, clock, signals);
  const moves = new MoveTasks(queues, repo, clock, changed);
  return { queues, messages, moves, stop: async () => {
      queues.close();
      await messages.stop();
    },
  };
}
