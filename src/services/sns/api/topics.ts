/** SNS topic operations: parse, call the topic service, render. */
import type { SnsSystem } from '../sns-system.js';
import { typedHandlers, type OperationHandler } from '../../../api/service.js';
import type { SnsInputs } from '../../../wire/inputs/sns.js';

type Tag = { Key: string; Value: string };
const tagMap = (tags: readonly Tag[] | undefined): Record<string, string> => Object.fromEntries((tags ?? []).map((t) => [t.Key, t.Value]));

export function topicHandlers(sns: SnsSystem): Record<string, OperationHandler> {
  const { topics, subscriptions } = sns;
  return typedHandlers<SnsInputs>({
    async CreateTopic(i) {
      const attributes = { ...i.Attributes, ...(i.DataProtectionPolicy !== undefined ? { DataProtectionPolicy: i.DataProtectionPolicy } : {}) };
      return { TopicArn: await topics.create(i.Name, attributes, tagMap(i.Tags)) };
    },

    async DeleteTopic(input) {
      await topics.delete(input.TopicArn);
      return {};
    },

    async ListTopics(input) {
      const page = await topics.list(input.NextToken);
      return { Topics: page.items.map((t) => ({ TopicArn: t.arn })), NextToken: page.nextToken };
    },

    async GetTopicAttributes(input) {
      const arn = input.TopicArn;
      return { Attributes: await topics.attributes(arn, await subscriptions.counts(arn)) };
    },

    async SetTopicAttributes(i) {
      await topics.setAttribute(i.TopicArn, i.AttributeName, i.AttributeValue);
      return {};
    },

    async ListTagsForResource(input) {
      const tags = await topics.tags(input.ResourceArn);
      return { Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) };
    },

    async TagResource(i) {
      await topics.tag(i.ResourceArn, tagMap(i.Tags), []);
      return {};
    },

    async UntagResource(i) {
      await topics.tag(i.ResourceArn, {}, i.TagKeys);
      return {};
    },
  });
}
