/** SNS subscription operations: parse, call the subscription service, render. */
import type { SubscriptionRecord } from '../model.js';
import type { SnsSystem } from '../sns-system.js';
import type { OperationHandler } from '../../../api/service.js';

/** SNS shows a pending subscription's ARN as `PendingConfirmation` in lists. */
const listed = (s: SubscriptionRecord) => ({
  SubscriptionArn: s.state === 'Confirmed' ? s.arn : 'PendingConfirmation',
  Owner: s.owner,
  Protocol: s.protocol,
  Endpoint: s.endpoint,
  TopicArn: s.topicArn,
});

export function subscriptionHandlers(sns: SnsSystem, accountId: string): Record<string, OperationHandler> {
  const { subscriptions } = sns;
  return {
    async Subscribe(input) {
      const i = input as { TopicArn: string; Protocol: string; Endpoint?: string; Attributes?: Record<string, string>; ReturnSubscriptionArn?: boolean };
      const s = await subscriptions.subscribe({ topicArn: i.TopicArn, protocol: i.Protocol, endpoint: i.Endpoint, attributes: i.Attributes ?? {}, owner: accountId });
      return { SubscriptionArn: s.state === 'Confirmed' || i.ReturnSubscriptionArn ? s.arn : 'pending confirmation' };
    },

    async ConfirmSubscription(input) {
      const i = input as { TopicArn: string; Token: string };
      return { SubscriptionArn: (await subscriptions.confirm(i.TopicArn, i.Token)).arn };
    },

    async Unsubscribe(input) {
      await subscriptions.unsubscribe((input as { SubscriptionArn: string }).SubscriptionArn);
      return {};
    },

    async ListSubscriptions(input) {
      const page = await subscriptions.list((input as { NextToken?: string }).NextToken);
      return { Subscriptions: page.items.map(listed), NextToken: page.nextToken };
    },

    async ListSubscriptionsByTopic(input) {
      const i = input as { TopicArn: string; NextToken?: string };
      const page = await subscriptions.listByTopic(i.TopicArn, i.NextToken);
      return { Subscriptions: page.items.map(listed), NextToken: page.nextToken };
    },

    async GetSubscriptionAttributes(input) {
      return { Attributes: await subscriptions.attributes((input as { SubscriptionArn: string }).SubscriptionArn) };
    },

    async SetSubscriptionAttributes(input) {
      const i = input as { SubscriptionArn: string; AttributeName: string; AttributeValue?: string };
      await subscriptions.setAttribute(i.SubscriptionArn, i.AttributeName, i.AttributeValue);
      return {};
    },
  };
}
