/** AWS::SNS::Topic, AWS::SNS::Subscription and AWS::SNS::TopicPolicy, through SNS's own operations. */
import type { Properties, ResourceContext, ResourceProvider } from '../provider.js';
import { bool, changed, gone, json, list, onlyKnown, orUndo, str, syncTags, tagsOf, UnsupportedProperty } from './props.js';

const TOPIC = 'AWS::SNS::Topic';
const NOT_FOUND = 'NotFoundException';
/** Topic properties that are topic attributes of the same name, as SNS's API takes them. */
const ATTRIBUTES = ['DisplayName', 'KmsMasterKeyId', 'ContentBasedDeduplication', 'SignatureVersion', 'TracingConfig', 'FifoThroughputScope', 'DataProtectionPolicy', 'ArchivePolicy'];
const TOPIC_PROPS = ['TopicName', 'FifoTopic', 'Subscription', 'Tags', ...ATTRIBUTES];

const value = (props: Properties, key: string): string | undefined =>
  ['DataProtectionPolicy', 'ArchivePolicy'].includes(key) ? json(props, key) : str(props, key);
const isFifo = (props: Properties): boolean => bool(props, 'FifoTopic') === true;
const subscriptionKey = (s: Record<string, unknown>) => `${String(s['Protocol'])} ${String(s['Endpoint'])}`;

const topicAttributes = (arn: string) => ({ physicalId: arn, attributes: { TopicArn: arn, TopicName: arn.slice(arn.lastIndexOf(':') + 1) } });

async function subscriptionsOf(ctx: ResourceContext, topicArn: string): Promise<{ SubscriptionArn: string; Protocol: string; Endpoint: string }[]> {
  const out = [];
  let token: string | undefined;
  do {
    const page = await ctx.call('sns', 'ListSubscriptionsByTopic', { TopicArn: topicArn, ...(token ? { NextToken: token } : {}) });
    out.push(...(page['Subscriptions'] as { SubscriptionArn: string; Protocol: string; Endpoint: string }[]));
    token = page['NextToken'] as string | undefined;
  } while (token);
  return out;
}

const topic: ResourceProvider = {
  replaceOn: ['TopicName', 'FifoTopic'],
  async create(props, ctx) {
    onlyKnown(TOPIC, props, TOPIC_PROPS);
    const fifo = isFifo(props);
    const name = str(props, 'TopicName') ?? (fifo ? `${ctx.physicalName(251)}.fifo` : ctx.physicalName(256));
    const attributes: Record<string, string> = fifo ? { FifoTopic: 'true' } : {};
    for (const key of ATTRIBUTES) if (value(props, key) !== undefined) attributes[key] = value(props, key)!;
    const tags = tagsOf(props, ctx);
    const arn = (await ctx.call('sns', 'CreateTopic', { Name: name, Attributes: attributes, ...(tags.length > 0 ? { Tags: tags } : {}) }))['TopicArn'] as string;
    return orUndo(
      async () => {
        for (const s of list<Record<string, unknown>>(props, 'Subscription')) {
          await ctx.call('sns', 'Subscribe', { TopicArn: arn, Protocol: String(s['Protocol']), Endpoint: String(s['Endpoint']), ReturnSubscriptionArn: true });
        }
        return topicAttributes(arn);
      },
      () => topic.delete(arn, props, ctx),
    );
  },
  async update(arn, props, previous, ctx) {
    onlyKnown(TOPIC, props, TOPIC_PROPS);
    for (const key of ATTRIBUTES) {
      if (changed(props, previous, key)) await ctx.call('sns', 'SetTopicAttributes', { TopicArn: arn, AttributeName: key, AttributeValue: value(props, key) ?? '' });
    }
    if (changed(props, previous, 'Subscription')) {
      const want = list<Record<string, unknown>>(props, 'Subscription');
      const had = new Set(list<Record<string, unknown>>(previous, 'Subscription').map(subscriptionKey));
      const existing = await subscriptionsOf(ctx, arn);
      for (const s of want) {
        if (!had.has(subscriptionKey(s))) await ctx.call('sns', 'Subscribe', { TopicArn: arn, Protocol: String(s['Protocol']), Endpoint: String(s['Endpoint']), ReturnSubscriptionArn: true });
      }
      const kept = new Set(want.map(subscriptionKey));
      for (const s of existing) {
        // Only those this property made: subscriptions of AWS::SNS::Subscription resources stay.
        if (had.has(subscriptionKey(s)) && !kept.has(subscriptionKey(s)) && s.SubscriptionArn.startsWith('arn:')) {
          await gone(ctx.call('sns', 'Unsubscribe', { SubscriptionArn: s.SubscriptionArn }), NOT_FOUND);
        }
      }
    }
    await syncTags(ctx, props, previous, (Tags) => ctx.call('sns', 'TagResource', { ResourceArn: arn, Tags }), (TagKeys) => ctx.call('sns', 'UntagResource', { ResourceArn: arn, TagKeys }));
    return topicAttributes(arn);
  },
  async delete(arn, _props, ctx) {
    // DeleteTopic of a topic that is gone succeeds, and takes its subscriptions with it.
    await gone(ctx.call('sns', 'DeleteTopic', { TopicArn: arn }), NOT_FOUND);
  },
};

const SUBSCRIPTION = 'AWS::SNS::Subscription';
/** Subscription properties that are subscription attributes of the same name. */
const SUBSCRIPTION_ATTRIBUTES = ['FilterPolicy', 'FilterPolicyScope', 'RawMessageDelivery', 'RedrivePolicy', 'DeliveryPolicy', 'SubscriptionRoleArn', 'ReplayPolicy'];
const JSON_ATTRIBUTES = ['FilterPolicy', 'RedrivePolicy', 'DeliveryPolicy', 'ReplayPolicy'];
const subscriptionValue = (props: Properties, key: string) => (JSON_ATTRIBUTES.includes(key) ? json(props, key) : str(props, key));

const subscription: ResourceProvider = {
  replaceOn: ['TopicArn', 'Protocol', 'Endpoint', 'Region'],
  async create(props, ctx) {
    onlyKnown(SUBSCRIPTION, props, ['TopicArn', 'Protocol', 'Endpoint', 'Region', ...SUBSCRIPTION_ATTRIBUTES]);
    const region = str(props, 'Region');
    if (region !== undefined && region !== ctx.region) throw new UnsupportedProperty(SUBSCRIPTION, 'Region', `this server serves ${ctx.region} only, not ${region}.`);
    const attributes: Record<string, string> = {};
    for (const key of SUBSCRIPTION_ATTRIBUTES) if (subscriptionValue(props, key) !== undefined) attributes[key] = subscriptionValue(props, key)!;
    const arn = (
      await ctx.call('sns', 'Subscribe', {
        TopicArn: str(props, 'TopicArn') ?? '',
        Protocol: str(props, 'Protocol') ?? '',
        ...(str(props, 'Endpoint') !== undefined ? { Endpoint: str(props, 'Endpoint') } : {}),
        Attributes: attributes,
        ReturnSubscriptionArn: true,
      })
    )['SubscriptionArn'] as string;
    return { physicalId: arn, attributes: { Arn: arn } };
  },
  async update(arn, props, previous, ctx) {
    onlyKnown(SUBSCRIPTION, props, ['TopicArn', 'Protocol', 'Endpoint', 'Region', ...SUBSCRIPTION_ATTRIBUTES]);
    for (const key of SUBSCRIPTION_ATTRIBUTES) {
      if (changed(props, previous, key)) await ctx.call('sns', 'SetSubscriptionAttributes', { SubscriptionArn: arn, AttributeName: key, AttributeValue: subscriptionValue(props, key) ?? '' });
    }
    return { physicalId: arn, attributes: { Arn: arn } };
  },
  async delete(arn, _props, ctx) {
    await gone(ctx.call('sns', 'Unsubscribe', { SubscriptionArn: arn }), NOT_FOUND);
  },
};

/** A policy set on each of its topics; removing it gives a topic back its default policy, as SNS does. */
const topicPolicy: ResourceProvider = {
  replaceOn: [],
  async create(props, ctx) {
    onlyKnown('AWS::SNS::TopicPolicy', props, ['PolicyDocument', 'Topics']);
    for (const t of list<string>(props, 'Topics')) await ctx.call('sns', 'SetTopicAttributes', { TopicArn: String(t), AttributeName: 'Policy', AttributeValue: json(props, 'PolicyDocument') ?? '' });
    const id = ctx.physicalName(256);
    return { physicalId: id, attributes: { Id: id } };
  },
  async update(id, props, previous, ctx) {
    onlyKnown('AWS::SNS::TopicPolicy', props, ['PolicyDocument', 'Topics']);
    const topics = list<string>(props, 'Topics').map(String);
    for (const t of topics) await ctx.call('sns', 'SetTopicAttributes', { TopicArn: t, AttributeName: 'Policy', AttributeValue: json(props, 'PolicyDocument') ?? '' });
    for (const t of list<string>(previous, 'Topics').map(String)) {
      if (!topics.includes(t)) await gone(ctx.call('sns', 'SetTopicAttributes', { TopicArn: t, AttributeName: 'Policy', AttributeValue: '' }), NOT_FOUND);
    }
    return { physicalId: id, attributes: { Id: id } };
  },
  async delete(_id, props, ctx) {
    for (const t of list<string>(props, 'Topics')) await gone(ctx.call('sns', 'SetTopicAttributes', { TopicArn: String(t), AttributeName: 'Policy', AttributeValue: '' }), NOT_FOUND);
  },
};

export const snsProviders: Record<string, ResourceProvider> = {
  [TOPIC]: topic,
  [SUBSCRIPTION]: subscription,
  'AWS::SNS::TopicPolicy': topicPolicy,
};
