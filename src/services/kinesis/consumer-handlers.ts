/** RegisterStreamConsumer, DescribeStreamConsumer, ListStreamConsumers, DeregisterStreamConsumer. */
import { typedHandlers, type Input, type OperationHandler } from '../../api/service.js';
import type { ConsumerRef } from './consumers.js';
import type { KinesisSystem } from './kinesis-system.js';
import type { ConsumerRecord } from './model.js';
import type { KinesisInputs } from '../../wire/inputs/kinesis.js';

const render = (c: ConsumerRecord): Input => ({ ConsumerName: c.name, ConsumerARN: c.arn, ConsumerStatus: 'ACTIVE', ConsumerCreationTimestamp: c.createdAt / 1000 });

const refOf = (input: { ConsumerARN?: string; StreamARN?: string; ConsumerName?: string }): ConsumerRef => ({
  arn: input.ConsumerARN,
  streamArn: input.StreamARN,
  name: input.ConsumerName,
});

export function consumerHandlers({ consumers }: KinesisSystem): Record<string, OperationHandler> {
  return typedHandlers<KinesisInputs>({
    async RegisterStreamConsumer(input) {
      const { consumer } = await consumers.register(input.StreamARN, input.ConsumerName);
      return { Consumer: render(consumer) };
    },

    async DescribeStreamConsumer(input) {
      const { stream, consumer } = await consumers.describe(refOf(input));
      return { ConsumerDescription: { ...render(consumer), StreamARN: stream.arn } };
    },

    async ListStreamConsumers(input) {
      const all = await consumers.list(input.StreamARN);
      const limit = input.MaxResults ?? 100;
      const token = input.NextToken;
      const start = token === undefined ? 0 : Number(Buffer.from(token, 'base64url').toString('utf8')) || 0;
      const page = all.slice(start, start + limit);
      return { Consumers: page.map(render), ...(start + limit < all.length ? { NextToken: Buffer.from(String(start + limit)).toString('base64url') } : {}) };
    },

    async DeregisterStreamConsumer(input) {
      await consumers.deregister(refOf(input));
      return {};
    },
  });
}
