/**
 * The one-resource, one-policy types: AWS::SQS::QueueInlinePolicy (Ref: the queue's URL),
 * AWS::SNS::TopicInlinePolicy (Ref: the topic's ARN) and AWS::IAM::RolePolicy (Ref:
 * `PolicyName|RoleName`, its two identifiers as CloudFormation joins them), through each service's
 * own operations. Deleting one takes its policy off (a topic gets SNS's default policy back).
 */
import type { Properties, ResourceContext, ResourceProvider } from '../provider.js';
import { ignoreMissing } from './common.js';
import { gone, json, onlyKnown, str } from './props.js';

const QUEUE = 'AWS::SQS::QueueInlinePolicy';
const TOPIC = 'AWS::SNS::TopicInlinePolicy';
const ROLE = 'AWS::IAM::RolePolicy';

/** A provider for a policy that belongs to one resource, set and cleared by `apply`. */
function inlinePolicy(
  type: string,
  target: string,
  apply: (ctx: ResourceContext, id: string, document: string | undefined, props: Properties) => Promise<unknown>,
  idOf: (props: Properties) => string = (props) => str(props, target) ?? '',
): ResourceProvider {
  const known = ['PolicyDocument', target, ...(type === ROLE ? ['PolicyName'] : [])];
  return {
    replaceOn: type === ROLE ? ['PolicyName', 'RoleName'] : [target],
    async create(props, ctx) {
      onlyKnown(type, props, known);
      const id = idOf(props);
      await apply(ctx, id, json(props, 'PolicyDocument') ?? '', props);
      return { physicalId: id, attributes: {} };
    },
    async update(id, props, _previous, ctx) {
      onlyKnown(type, props, known);
      await apply(ctx, id, json(props, 'PolicyDocument') ?? '', props);
      return { physicalId: id, attributes: {} };
    },
    async delete(id, props, ctx) {
      await apply(ctx, id, undefined, props);
    },
  };
}

const queuePolicy = inlinePolicy(QUEUE, 'Queue', async (ctx, url, document) => {
  const set = ctx.call('sqs', 'SetQueueAttributes', { QueueUrl: url, Attributes: { Policy: document ?? '' } });
  await (document === undefined ? ignoreMissing(set) : set);
});

const topicPolicy = inlinePolicy(TOPIC, 'TopicArn', async (ctx, arn, document) => {
  const set = ctx.call('sns', 'SetTopicAttributes', { TopicArn: arn, AttributeName: 'Policy', AttributeValue: document ?? '' });
  await (document === undefined ? gone(set, 'NotFoundException', 'NotFound') : set);
});

const rolePolicy = inlinePolicy(
  ROLE,
  'RoleName',
  async (ctx, _id, document, props) => {
    const names = { RoleName: str(props, 'RoleName') ?? '', PolicyName: str(props, 'PolicyName') ?? '' };
    if (document === undefined) await gone(ctx.call('iam', 'DeleteRolePolicy', names), 'NoSuchEntityException', 'NoSuchEntity');
    else await ctx.call('iam', 'PutRolePolicy', { ...names, PolicyDocument: document });
  },
  (props) => `${str(props, 'PolicyName') ?? ''}|${str(props, 'RoleName') ?? ''}`,
);

export const inlinePolicyProviders: Record<string, ResourceProvider> = {
  [QUEUE]: queuePolicy,
  [TOPIC]: topicPolicy,
  [ROLE]: rolePolicy,
};
