/** AWS::SQS::Queue (Ref: the queue's URL) and AWS::SQS::QueuePolicy, through SQS's own operations. */
import type { Properties, Provisioned, ResourceContext, ResourceProvider } from '../provider.js';
import { ignoreMissing, tagMap } from './common.js';

const ATTRIBUTES = ['ContentBasedDeduplication', 'DeduplicationScope', 'DelaySeconds', 'FifoThroughputLimit', 'KmsDataKeyReusePeriodSeconds', 'KmsMasterKeyId', 'MaximumMessageSize', 'MessageRetentionPeriod', 'ReceiveMessageWaitTimeSeconds', 'RedriveAllowPolicy', 'RedrivePolicy', 'SqsManagedSseEnabled', 'VisibilityTimeout'];
/** What a removed property goes back to: SQS's defaults. */
const DEFAULTS: Record<string, string> = { DelaySeconds: '0', MaximumMessageSize: '262144', MessageRetentionPeriod: '345600', ReceiveMessageWaitTimeSeconds: '0', VisibilityTimeout: '30', RedrivePolicy: '', RedriveAllowPolicy: '' };

const text = (v: unknown) => (typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v));

function attributesOf(props: Properties): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of ATTRIBUTES) if (props[k] !== undefined) out[k] = text(props[k]);
  return out;
}

async function describe(url: string, ctx: ResourceContext): Promise<Provisioned> {
  const out = await ctx.call('sqs', 'GetQueueAttributes', { QueueUrl: url, AttributeNames: ['QueueArn'] });
  const arn = (out['Attributes'] as Record<string, string>)['QueueArn']!;
  return { physicalId: url, attributes: { Arn: arn, QueueName: arn.split(':').pop()!, QueueUrl: url } };
}

export const sqsQueue: ResourceProvider = {
  replaceOn: ['QueueName', 'FifoQueue'],
  async create(props, ctx) {
    const fifo = props['FifoQueue'] === true || props['FifoQueue'] === 'true';
    const name = props['QueueName'] !== undefined ? String(props['QueueName']) : fifo ? `${ctx.physicalName(75)}.fifo` : ctx.physicalName(80);
    const attributes = { ...attributesOf(props), ...(fifo ? { FifoQueue: 'true' } : {}) };
    const out = await ctx.call('sqs', 'CreateQueue', { QueueName: name, Attributes: attributes, tags: tagMap(props, ctx) });
    return describe(String(out['QueueUrl']), ctx);
  },
  async update(url, props, previous, ctx) {
    const attributes = attributesOf(props);
    for (const k of Object.keys(attributesOf(previous))) if (!(k in attributes) && k in DEFAULTS) attributes[k] = DEFAULTS[k]!;
    if (Object.keys(attributes).length > 0) await ctx.call('sqs', 'SetQueueAttributes', { QueueUrl: url, Attributes: attributes });
    const tags = tagMap(props, ctx);
    const removed = Object.keys(tagMap(previous, ctx)).filter((k) => !(k in tags));
    if (removed.length > 0) await ctx.call('sqs', 'UntagQueue', { QueueUrl: url, TagKeys: removed });
    if (Object.keys(tags).length > 0) await ctx.call('sqs', 'TagQueue', { QueueUrl: url, Tags: tags });
    return describe(url, ctx);
  },
  async delete(url, _props, ctx) {
    await ignoreMissing(ctx.call('sqs', 'DeleteQueue', { QueueUrl: url }));
  },
};

const setPolicy = async (queues: unknown, policy: string, ctx: ResourceContext) => {
  for (const url of (queues as string[] | undefined) ?? []) await ctx.call('sqs', 'SetQueueAttributes', { QueueUrl: url, Attributes: { Policy: policy } });
};

export const sqsQueuePolicy: ResourceProvider = {
  replaceOn: [],
  async create(props, ctx) {
    await setPolicy(props['Queues'], text(props['PolicyDocument']), ctx);
    const id = ctx.physicalName(255);
    return { physicalId: id, attributes: { Id: id } };
  },
  async update(id, props, previous, ctx) {
    const gone = ((previous['Queues'] as string[] | undefined) ?? []).filter((q) => !((props['Queues'] as string[] | undefined) ?? []).includes(q));
    for (const url of gone) await ignoreMissing(ctx.call('sqs', 'SetQueueAttributes', { QueueUrl: url, Attributes: { Policy: '' } }));
    await setPolicy(props['Queues'], text(props['PolicyDocument']), ctx);
    return { physicalId: id, attributes: { Id: id } };
  },
  async delete(_id, props, ctx) {
    for (const url of (props['Queues'] as string[] | undefined) ?? []) await ignoreMissing(ctx.call('sqs', 'SetQueueAttributes', { QueueUrl: url, Attributes: { Policy: '' } }));
  },
};

export const sqsProviders: Record<string, ResourceProvider> = {
  'AWS::SQS::Queue': sqsQueue,
  'AWS::SQS::QueuePolicy': sqsQueuePolicy,
};
