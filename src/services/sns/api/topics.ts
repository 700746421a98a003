/** SNS topic operations: parse, call the topic service, render. */
import type { SnsSystem } from '../sns-system.js';
import type { OperationHandler } from '../../../api/service.js';

type Tag = { Key: string; Value: string };
const tagMap = (tags: readonly Tag[] | undefined): Record<string, string> => Object.fromEntries((tags ?? []).map((t) => [t.Key, t.Value]));

export function topicHandlers(sns: SnsSystem): Record<string, OperationHandler> {
  const { topics, subscriptions } = sns;
  return {
    async CreateTopic(input) {
      const i = input as { Name: string; Attributes?: Record<string, string>; Tags?: Tag[]; DataProtectionPolicy?: string };
      const attributes = { ...i.Attributes, ...(i.DataProtectionPolicy !== undefined ? { DataProtectionPolicy: i.DataProtectionPolicy } : {}) };
      return { TopicArn: await topics.create(i.Name, attributes, tagMap(i.Tags)) };
    },

    async DeleteTopic(input) {
      await topics.delete((input as { TopicArn: string }).TopicArn);
      return {};
    },

    async ListTopics(input) {
      const page = await topics.list((input as { NextToken?: string }).NextToken);
      return { Topics: page.items.map((t) => ({ TopicArn: t.arn })), NextToken: page.nextToken };
    },

    async GetTopicAttributes(input) {
      const arn = (input as { TopicArn: string }).TopicArn;
      return { Attributes: await topics.attributes(arn, await subscriptions.counts(arn)) };
    },

    async SetTopicAttributes(input) {
      const i = input as { TopicArn: string; AttributeName: string; AttributeValue?: string };
      await topics.setAttribute(i.TopicArn, i.AttributeName, i.AttributeValue);
      return {};
    },

    async ListTagsForResource(input) {
      const tags = await topics.tags((input as { ResourceArn: string }).ResourceArn);
      return { Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) };
    },

    async TagResource(input) {
      const i = input as { ResourceArn: string; Tags: Tag[] };
      await topics.tag(i.ResourceArn, tagMap(i.Tags), []);
      return {};
    },

    async UntagResource(input) {
      const i = input as { ResourceArn: string; TagKeys: string[] };
      await topics.tag(i.ResourceArn, {}, i.TagKeys);
      return {};
    },
  };
}
