/** SQS queue operations: parse, call the queue service, render. */
import type { QueueSystem } from '../queue-system.js';
import { SqsErrors } from '../../../wire/errors.js';
import type { OperationHandler } from '../../../api/service.js';

interface QueueUrlInput {
  QueueUrl: string;
}

export function queueHandlers(q: QueueSystem): Record<string, OperationHandler> {
  return {
    async CreateQueue(input) {
      const i = input as { QueueName: string; Attributes?: Record<string, string>; tags?: Record<string, string | null> };
      return { QueueUrl: await q.queues.create(i.QueueName, i.Attributes ?? {}, checkTags(i.tags ?? {})) };
    },

    async GetQueueUrl(input) {
      const i = input as { QueueName: string; QueueOwnerAWSAccountId?: string };
      return { QueueUrl: await q.queues.getUrl(i.QueueName, i.QueueOwnerAWSAccountId) };
    },

    async ListQueues(input) {
      const i = input as { QueueNamePrefix?: string; MaxResults?: number; NextToken?: string };
      const page = await q.queues.list(i.QueueNamePrefix ?? '', i.MaxResults, i.NextToken);
      return { QueueUrls: page.urls, NextToken: page.nextToken };
    },

    async DeleteQueue(input) {
      await q.queues.delete((input as unknown as QueueUrlInput).QueueUrl);
      return {};
    },

    async GetQueueAttributes(input) {
      const i = input as { QueueUrl: string; AttributeNames?: string[] };
      const attributes = await q.queues.getAttributes(i.QueueUrl, i.AttributeNames ?? []);
      return Object.keys(attributes).length > 0 ? { Attributes: attributes } : {};
    },

    async SetQueueAttributes(input) {
      const i = input as { QueueUrl: string; Attributes: Record<string, string> };
      await q.queues.setAttributes(i.QueueUrl, i.Attributes);
      return {};
    },

    async PurgeQueue(input) {
      await q.queues.purge((input as unknown as QueueUrlInput).QueueUrl);
      return {};
    },

    async ListQueueTags(input) {
      const tags = await q.queues.tags((input as unknown as QueueUrlInput).QueueUrl);
      return Object.keys(tags).length > 0 ? { Tags: tags } : {};
    },

    async TagQueue(input) {
      const i = input as { QueueUrl: string; Tags: Record<string, string | null> };
      await q.queues.tag(i.QueueUrl, checkTags(i.Tags), []);
      return {};
    },

    async AddPermission(input) {
      const i = input as { QueueUrl: string; Label: string; AWSAccountIds: string[]; Actions: string[] };
      if (!/^[A-Za-z0-9_-]{1,80}$/.test(i.Label)) throw SqsErrors.invalidParameterValue(`Value ${i.Label} for parameter Label is invalid. Reason: Must be at most 80 alphanumeric characters, hyphens or underscores.`);
      if (i.AWSAccountIds.length === 0 || i.AWSAccountIds.some((a) => !/^\d{12}$/.test(a))) throw SqsErrors.invalidParameterValue('Value for parameter AWSAccountIds is invalid. Reason: Must be 12-digit account ids.');
      if (i.Actions.length === 0) throw SqsErrors.invalidParameterValue('Value for parameter Actions is invalid. Reason: Must name at least one action.');
      await q.queues.addPermission(i.QueueUrl, i.Label, i.AWSAccountIds, i.Actions);
      return {};
    },

    async RemovePermission(input) {
      const i = input as { QueueUrl: string; Label: string };
      await q.queues.removePermission(i.QueueUrl, i.Label);
      return {};
    },

    async UntagQueue(input) {
      const i = input as { QueueUrl: string; TagKeys: string[] };
      await q.queues.tag(i.QueueUrl, {}, i.TagKeys);
      return {};
    },

    async ListDeadLetterSourceQueues(input) {
      const i = input as { QueueUrl: string; MaxResults?: number; NextToken?: string };
      const urls = await q.queues.deadLetterSources(i.QueueUrl);
      const start = i.NextToken ? Math.max(0, Number(Buffer.from(i.NextToken, 'base64').toString('utf8')) || 0) : 0;
      if (i.MaxResults === undefined) return { queueUrls: urls };
      const end = start + i.MaxResults;
      return { queueUrls: urls.slice(start, end), NextToken: end < urls.length ? Buffer.from(String(end)).toString('base64') : undefined };
    },

    async StartMessageMoveTask(input) {
      const i = input as { SourceArn: string; DestinationArn?: string; MaxNumberOfMessagesPerSecond?: number };
      return { TaskHandle: await q.moves.start(i.SourceArn, i.DestinationArn, i.MaxNumberOfMessagesPerSecond) };
    },

    async ListMessageMoveTasks(input) {
      const i = input as { SourceArn: string; MaxResults?: number };
      const tasks = await q.moves.list(i.SourceArn, i.MaxResults);
      return {
        Results: tasks.map((t) => ({
          TaskHandle: t.status === 'RUNNING' ? t.taskHandle : undefined,
          Status: t.status,
          SourceArn: t.sourceArn,
          DestinationArn: t.destinationArn,
          MaxNumberOfMessagesPerSecond: t.maxNumberOfMessagesPerSecond,
          ApproximateNumberOfMessagesMoved: t.moved,
          ApproximateNumberOfMessagesToMove: t.toMove,
          FailureReason: t.failureReason,
          StartedTimestamp: t.startedAt,
        })),
      };
    },

    async CancelMessageMoveTask(input) {
      return { ApproximateNumberOfMessagesMoved: await q.moves.cancel((input as { TaskHandle: string }).TaskHandle) };
    },
  };
}

/** SQS refuses a tag without a value (a JSON null), as it does a missing one. */
function checkTags(tags: Record<string, string | null>): Record<string, string> {
  for (const [key, value] of Object.entries(tags)) {
    if (typeof value !== 'string') throw SqsErrors.invalidParameterValue(`Tag ${key} has no value: tag values cannot be null.`);
  }
  return tags as Record<string, string>;
}
