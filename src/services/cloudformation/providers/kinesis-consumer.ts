/**
 * AWS::Kinesis::StreamConsumer: an enhanced fan-out consumer of a stream. `Ref` is its ARN; `Fn::GetAtt`
 * gives ConsumerARN, ConsumerName, ConsumerStatus, ConsumerCreationTimestamp and StreamARN.
 */
import type { ResourceProvider } from '../provider.js';
import { gone, list, onlyKnown, str, UnsupportedProperty } from './props.js';

const CONSUMER = 'AWS::Kinesis::StreamConsumer';

const consumer: ResourceProvider = {
  replaceOn: ['ConsumerName', 'StreamARN'],
  async create(props, ctx) {
    onlyKnown(CONSUMER, props, ['ConsumerName', 'StreamARN', 'Tags']);
    if (list(props, 'Tags').length > 0) throw new UnsupportedProperty(CONSUMER, 'Tags', 'consumers are not tagged here.');
    const made = (await ctx.call('kinesis', 'RegisterStreamConsumer', { StreamARN: str(props, 'StreamARN'), ConsumerName: str(props, 'ConsumerName') }))['Consumer'] as Record<string, unknown>;
    const arn = String(made['ConsumerARN']);
    return {
      physicalId: arn,
      attributes: {
        ConsumerARN: arn,
        ConsumerName: made['ConsumerName'],
        ConsumerStatus: made['ConsumerStatus'],
        // CloudFormation gives the creation time as text.
        ConsumerCreationTimestamp: String(made['ConsumerCreationTimestamp']),
        StreamARN: str(props, 'StreamARN'),
      },
    };
  },
  async update() {
    // Every property replaces the consumer, save Tags, which are refused.
    throw new UnsupportedProperty(CONSUMER, 'Tags', 'consumers are not tagged here.');
  },
  async delete(arn, _props, ctx) {
    await gone(ctx.call('kinesis', 'DeregisterStreamConsumer', { ConsumerARN: arn }), 'ResourceNotFoundException');
  },
};

export const kinesisConsumerProviders: Readonly<Record<string, ResourceProvider>> = { [CONSUMER]: consumer };
