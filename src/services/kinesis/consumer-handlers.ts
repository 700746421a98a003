/** RegisterStreamConsumer, DescribeStreamConsumer, ListStreamConsumers, DeregisterStreamConsumer. */
import type { Input, OperationHandler } from '../../api/service.js';
import type { ConsumerRef } from './consumers.js';
import type { KinesisSystem } from './kinesis-system.js';
import type { ConsumerRecord } from './model.js';

const render = (c: ConsumerRecord): Input => ({ ConsumerName: c.name, ConsumerARN: c.arn, ConsumerStatus: 'ACTIVE', ConsumerCreationTimestamp: c.createdAt / 1000 });

const refOf = (input: Input): ConsumerRef => ({
  arn: input['ConsumerARN'] as string | undefined,
  streamArn: input['StreamARN'] as string | undefined,
  name: input['ConsumerName'] as string | undefined,
});

export function consumerHandlers({ consumers }: KinesisSystem): Record<string, OperationHandler> {
  return {
    async RegisterStreamConsumer(input) {
      const { consumer } = await consumers.register(input['StreamARN'] as string, input['ConsumerName'] as string);
      return { Consumer: render(consumer) };
    },

    async DescribeStreamConsumer(input) {
      const { stream, consumer } = await consumers.describe(refOf(input));
      return { ConsumerDescription: { ...render(consumer), StreamARN: stream.arn } };
    },

    async ListStreamConsumers(input) {
      const all = await consumers.list(input['StreamARN'] as string);
      const limit = (input['MaxResults'] as number | undefined) ?? 100;
      const token = input['NextToken'] as string | undefined;
      const start = token === undefined ? 0 : Number(Buffer.from(token, 'base64url').toString('utf8')) || 0;
      const page = all.slice(start, start + limit);
      return { Consumers: page.map(render), ...(start + limit < all.length ? { NextToken: Buffer.from(String(start + limit)).toString('base64url') } : {}) };
    },

    async DeregisterStreamConsumer(input) {
      await consumers.deregister(refOf(input));
      return {};
    },
  };
}
