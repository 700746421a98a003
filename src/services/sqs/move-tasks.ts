/**
 * Message move tasks (dead-letter queue redrive): moves a dead-letter queue's messages back to the
 * queues they came from, or to a given destination. Selfless moves them in one step when the task
 * starts, so a task is COMPLETED once started; tasks are remembered until the server restarts.
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../../lib/clock.js';
import type { QueueRepo } from '../../storage/store.js';
import { SqsErrors } from '../../wire/errors.js';
import type { QueueService } from './queue-service.js';

export interface MoveTask {
  taskHandle: string;
  status: 'RUNNING' | 'COMPLETED' | 'CANCELLED' | 'FAILED';
  sourceArn: string;
  destinationArn?: string;
  maxNumberOfMessagesPerSecond?: number;
  moved: number;
  toMove: number;
  startedAt: number;
  failureReason?: string;
}

export class MoveTasks {
  private readonly bySource = new Map<string, MoveTask[]>();

  constructor(
    private readonly queues: QueueService,
    private readonly repo: QueueRepo,
    private readonly clock: Clock,
    private readonly changed: (queue: string) => void,
  ) {}

  async start(sourceArn: string, destinationArn: string | undefined, maxPerSecond: number | undefined): Promise<string> {
    const source = await this.queues.byArn(sourceArn);
    if (!source) throw SqsErrors.resourceNotFound('The resource that you specified for the SourceArn parameter does not exist.');
    const destination = destinationArn === undefined ? undefined : await this.queues.byArn(destinationArn);
    if (destinationArn !== undefined && !destination) {
      throw SqsErrors.resourceNotFound('The resource that you specified for the DestinationArn parameter does not exist.');
    }
    if (maxPerSecond !== undefined && (maxPerSecond < 1 || maxPerSecond > 500)) {
      throw SqsErrors.invalidParameterValue('Value for parameter MaxNumberOfMessagesPerSecond is invalid. Reason: must be between 1 and 500.');
    }
    const now = this.clock.now();
    const counts = await this.repo.counts(source.name, now);
    let moved = 0;
    if (destination) {
      moved = await this.repo.moveAllMessages(source.name, destination.name, now);
      this.changed(destination.name);
    } else {
      for (const arn of await this.repo.deadLetterSources(source.name)) {
        const origin = await this.queues.byArn(arn);
        if (!origin) continue;
        moved += await this.repo.moveAllMessages(source.name, origin.name, now, arn);
        this.changed(origin.name);
      }
    }
    const task: MoveTask = {
      taskHandle: Buffer.from(JSON.stringify({ taskId: randomUUID(), sourceArn }), 'utf8').toString('base64'),
      status: 'COMPLETED',
      sourceArn,
      moved,
      toMove: counts.visible + counts.inFlight + counts.delayed,
      startedAt: now,
    };
    if (destinationArn !== undefined) task.destinationArn = destinationArn;
    if (maxPerSecond !== undefined) task.maxNumberOfMessagesPerSecond = maxPerSecond;
    const list = this.bySource.get(sourceArn) ?? [];
    list.unshift(task);
    this.bySource.set(sourceArn, list.slice(0, 10));
    return task.taskHandle;
  }

  async list(sourceArn: string, maxResults: number | undefined): Promise<MoveTask[]> {
    if (!(await this.queues.byArn(sourceArn))) throw SqsErrors.resourceNotFound('The resource that you specified for the SourceArn parameter does not exist.');
    if (maxResults !== undefined && (maxResults < 1 || maxResults > 10)) {
      throw SqsErrors.invalidParameterValue('Value for parameter MaxResults is invalid. Reason: must be between 1 and 10.');
    }
    return (this.bySource.get(sourceArn) ?? []).slice(0, maxResults ?? 1);
  }

  async cancel(taskHandle: string): Promise<number> {
    for (const list of this.bySource.values()) {
      const task = list.find((t) => t.taskHandle === taskHandle);
      if (task) {
        if (task.status !== 'RUNNING') throw SqsErrors.unsupportedOperation('Only a RUNNING task can be cancelled.');
        return task.moved;
      }
    }
    throw SqsErrors.resourceNotFound('Task does not exist.');
  }
}
