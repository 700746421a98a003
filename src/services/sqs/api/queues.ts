/** SQS queue operations: parse, call the queue service, render. */
import type { QueueSystem } from '../queue-system.js';
import { SqsErrors } from '../../../wire/errors.js';
import { typedHandlers, type OperationHandler } from '../../../api/service.js';
import type { SqsInputs } from '../../../wire/inputs/sqs.js';


export function queueHandlers(q: QueueSystem): Record<string, OperationHandler> {
  return typedHandlers<SqsInputs>({
    async CreateQueue(i) {
      return { QueueUrl: await q.queues.create(i.QueueName, i.Attributes ?? {}, checkTags(i.tags ?? {})) };
    },

    async GetQueueUrl(i) {
      return { QueueUrl: await q.queues.getUrl(i.QueueName, i.QueueOwnerAWSAccountId) };
    },

    async ListQueues(i) {
      const page = await q.queues.list(i.QueueNamePrefix ?? '', i.MaxResults, i.NextToken);
      return { QueueUrls: page.urls, NextToken: page.nextToken };
    },

    async DeleteQueue(input) {
      await q.queues.delete(input.QueueUrl);
      return {};
    },

    async GetQueueAttributes(i) {
      const attributes = await q.queues.getAttributes(i.QueueUrl, i.AttributeNames ?? []);
      return Object.keys(attributes).length > 0 ? { Attributes: attributes } : {};
    },

    async SetQueueAttributes(i) {
      await q.queues.setAttributes(i.QueueUrl, i.Attributes);
      return {};
    },

    async PurgeQueue(input) {
      await q.queues.purge(input.QueueUrl);
      return {};
    },

    async ListQueueTags(input) {
      const tags = await q.queues.tags(input.QueueUrl);
      return Object.keys(tags).length > 0 ? { Tags: tags } : {};
    },

    async TagQueue(i) {
      await q.queues.tag(i.QueueUrl, checkTags(i.Tags), []);
      return {};
    },

    async AddPermission(i) {
      if (!/^[A-Za-z0-9_-]{1,80}$/.test(i.Label)) throw SqsErrors.invalidParameterValue(`Value ${i.Label} for parameter Label is invalid. Reason: Must be at most 80 alphanumeric characters, hyphens or underscores.`);
      if (i.AWSAccountIds.length === 0 || i.AWSAccountIds.some((a) => !/^\d{12}$/.test(a))) throw SqsErrors.invalidParameterValue('Value for parameter AWSAccountIds is invalid. Reason: Must be 12-digit account ids.');
      if (i.Actions.length === 0) throw SqsErrors.invalidParameterValue('Value for parameter Actions is invalid. Reason: Must name at least one action.');
      await q.queues.addPermission(i.QueueUrl, i.Label, i.AWSAccountIds, i.Actions);
      return {};
    },

    async RemovePermission(i) {
      await q.queues.removePermission(i.QueueUrl, i.Label);
      return {};
    },

    async UntagQueue(i) {
      await q.queues.tag(i.QueueUrl, {}, i.TagKeys);
      return {};
    },

    async ListDeadLetterSourceQueues(i) {
      const urls = await q.queues.deadLetterSources(i.QueueUrl);
      const start = i.NextToken ? Math.max(0, Number(Buffer.from(i.NextToken, 'base64').toString('utf8')) || 0) : 0;
      if (i.MaxResults === undefined) return { queueUrls: urls };
      const end = start + i.MaxResults;
      return { queueUrls: urls.slice(start, end), NextToken: end < urls.length ? Buffer.from(String(end)).toString('base64') : undefined };
    },

    async StartMessageMoveTask(i) {
      return { TaskHandle: await q.moves.start(i.SourceArn, i.DestinationArn, i.MaxNumberOfMessagesPerSecond) };
    },

    async ListMessageMoveTasks(i) {
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
      return { ApproximateNumberOfMessagesMoved: await q.moves.cancel(input.TaskHandle) };
    },
  });
}

/** SQS refuses a tag without a value (a JSON null), as it does a missing one. */
function checkTags(tags: Record<string, string | null>): Record<string, string> {
  for (const [key, value] of Object.entries(tags)) {
    if (typeof value !== 'string') throw SqsErrors.invalidParameterValue(`Tag ${key} has no value: tag values cannot be null.`);
  }
  return tags as Record<string, string>;
}
