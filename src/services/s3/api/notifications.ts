/** S3 bucket notification configuration: parse, call the notifier, render. */
import { z } from 'zod';
import type { NotificationTarget } from '../model.js';
import type { Notifier } from '../notifier.js';
import { S3Errors } from '../../../wire/errors.js';
import type { OperationHandler } from '../../../api/service.js';

const Filter = z.object({ Key: z.object({ FilterRules: z.array(z.object({ Name: z.string(), Value: z.string() })).optional() }).optional() }).optional();
const Common = { Id: z.string().optional(), Events: z.array(z.string()), Filter };
const ConfigInput = z.object({
  Bucket: z.string(),
  NotificationConfiguration: z
    .object({
      LambdaFunctionConfigurations: z.array(z.object({ ...Common, LambdaFunctionArn: z.string() })).optional(),
      QueueConfigurations: z.array(z.object({ ...Common, QueueArn: z.string() })).optional(),
      TopicConfigurations: z.array(z.object({ ...Common, TopicArn: z.string() })).optional(),
      EventBridgeConfiguration: z.object({}).passthrough().optional(),
    })
    .default({}),
});

type FilterWire = z.infer<typeof Filter>;

function keyFilter(filter: FilterWire): { prefix?: string; suffix?: string } {
  const out: { prefix?: string; suffix?: string } = {};
  for (const rule of filter?.Key?.FilterRules ?? []) {
    const name = rule.Name.toLowerCase();
    if (name !== 'prefix' && name !== 'suffix') throw S3Errors.invalidArgument(`filter rule name must be either prefix or suffix`);
    if (out[name] !== undefined) throw S3Errors.invalidArgument('Cannot specify more than one prefix rule in a filter.');
    out[name] = rule.Value;
  }
  return out;
}

const filterOf = (t: NotificationTarget) => {
  const rules = [
    ...(t.prefix !== undefined ? [{ Name: 'Prefix', Value: t.prefix }] : []),
    ...(t.suffix !== undefined ? [{ Name: 'Suffix', Value: t.suffix }] : []),
  ];
  return rules.length > 0 ? { Filter: { Key: { FilterRules: rules } } } : {};
};

export function notificationHandlers(notifier: Notifier): Record<string, OperationHandler> {
  return {
    async PutBucketNotificationConfiguration(input, ctx) {
      const { Bucket, NotificationConfiguration: c } = ConfigInput.parse(input);
      let n = 0;
      const id = (given: string | undefined) => given ?? `selfless-notification-${++n}`;
      const targets: NotificationTarget[] = [
        ...(c.LambdaFunctionConfigurations ?? []).map((l) => ({ id: id(l.Id), kind: 'function' as const, arn: l.LambdaFunctionArn, events: l.Events, ...keyFilter(l.Filter) })),
        ...(c.QueueConfigurations ?? []).map((q) => ({ id: id(q.Id), kind: 'queue' as const, arn: q.QueueArn, events: q.Events, ...keyFilter(q.Filter) })),
        ...(c.TopicConfigurations ?? []).map((t) => ({ id: id(t.Id), kind: 'topic' as const, arn: t.TopicArn, events: t.Events, ...keyFilter(t.Filter) })),
      ];
      await notifier.configure(Bucket, targets, ctx.requestId, c.EventBridgeConfiguration !== undefined);
      return {};
    },
    async GetBucketNotificationConfiguration(input) {
      const { targets, eventBridge } = await notifier.configuration(z.object({ Bucket: z.string() }).parse(input).Bucket);
      const fns = targets.filter((t) => t.kind === 'function').map((t) => ({ Id: t.id, LambdaFunctionArn: t.arn, Events: t.events, ...filterOf(t) }));
      const queues = targets.filter((t) => t.kind === 'queue').map((t) => ({ Id: t.id, QueueArn: t.arn, Events: t.events, ...filterOf(t) }));
      const topics = targets.filter((t) => t.kind === 'topic').map((t) => ({ Id: t.id, TopicArn: t.arn, Events: t.events, ...filterOf(t) }));
      return {
        ...(fns.length ? { LambdaFunctionConfigurations: fns } : {}),
        ...(queues.length ? { QueueConfigurations: queues } : {}),
        ...(topics.length ? { TopicConfigurations: topics } : {}),
        ...(eventBridge ? { EventBridgeConfiguration: {} } : {}),
      };
    },
  };
}
