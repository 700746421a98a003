/** SNS subscription operations: parse, call the subscription service, render. */
import type { SubscriptionRecord } from '../model.js';
import type { SnsSystem } from '../sns-system.js';
import { typedHandlers, type OperationHandler } from '../../../api/service.js';
import type { SnsInputs } from '../../../wire/inputs/sns.js';

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
  return typedHandlers<SnsInputs>({
    async Subscribe(i) {
      const s = await subscriptions.subscribe({ topicArn: i.TopicArn, protocol: i.Protocol, endpoint: i.Endpoint, attributes: i.Attributes ?? {}, owner: accountId });
      return { SubscriptionArn: s.state === 'Confirmed' || i.ReturnSubscriptionArn ? s.arn : 'pending confirmation' };
    },

    async ConfirmSubscription(i) {
      return { SubscriptionArn: (await subscriptions.confirm(i.TopicArn, i.Token)).arn };
    },

    async Unsubscribe(input) {
      await subscriptions.unsubscribe(input.SubscriptionArn);
      return {};
    },

    async ListSubscriptions(input) {
      const page = await subscriptions.list(input.NextToken);
      return { Subscriptions: page.items.map(listed), NextToken: page.nextToken };
    },

    async ListSubscriptionsByTopic(i) {
      const page = await subscriptions.listByTopic(i.TopicArn, i.NextToken);
      return { Subscriptions: page.items.map(listed), NextToken: page.nextToken };
    },

    async GetSubscriptionAttributes(input) {
      return { Attributes: await subscriptions.attributes(input.SubscriptionArn) };
    },

    async SetSubscriptionAttributes(i) {
      await subscriptions.setAttribute(i.SubscriptionArn, i.AttributeName, i.AttributeValue);
      return {};
    },
  });
}
