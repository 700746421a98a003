/** `selfless redrive QUEUE`: moves a dead-letter queue's messages back to the queues they came from. */
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListMessageMoveTasksCommand,
  QueueDoesNotExist,
  SQSClient,
  StartMessageMoveTaskCommand,
} from '@aws-sdk/client-sqs';
import { Command, Option } from 'commander';
import { resolveClientOptions, type ClientOptions } from '../clients.js';

export const sqsClient = (o: ClientOptions): SQSClient =>
  new SQSClient({
    endpoint: o.endpoint,
    region: o.region,
    maxAttempts: 1,
    credentials: {
      accessKeyId: process.env['AWS_ACCESS_KEY_ID'] ?? 'selfless',
      secretAccessKey: process.env['AWS_SECRET_ACCESS_KEY'] ?? 'selfless',
      ...(process.env['AWS_SESSION_TOKEN'] ? { sessionToken: process.env['AWS_SESSION_TOKEN'] } : {}),
    },
  });

export interface QueueRef {
  name: string;
  url: string;
  arn: string;
}

/** A queue named by name, URL or ARN; created if `create` and missing. */
export async function resolveQueue(sqs: SQSClient, ref: string, create = false): Promise<QueueRef & { created: boolean }> {
  const name = ref.startsWith('arn:') ? ref.split(':').slice(5).join(':') : ref.replace(/\/+$/, '').split('/').pop()!;
  let created = false;
  const url = await sqs.send(new GetQueueUrlCommand({ QueueName: name })).then(
    (r) => r.QueueUrl!,
    async (err: unknown) => {
      if (!(err instanceof QueueDoesNotExist)) throw err;
      if (!create) throw new Error(`queue ${name} does not exist`);
      created = true;
      const attrs = name.endsWith('.fifo') ? { FifoQueue: 'true', ContentBasedDeduplication: 'true' } : undefined;
      return (await sqs.send(new CreateQueueCommand({ QueueName: name, ...(attrs ? { Attributes: attrs } : {}) }))).QueueUrl!;
    },
  );
  const attrs = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }));
  return { name, url, arn: attrs.Attributes!['QueueArn']!, created };
}

export function registerRedrive(program: Command): void {
  program
    .command('redrive <queue>')
    .description("move a dead-letter queue's messages back to their source queues")
    .addOption(new Option('--endpoint <url>', 'Selfless server (default $SELFLESS_ENDPOINT or http://127.0.0.1:9000)'))
    .addOption(new Option('--region <region>', 'region (default $SELFLESS_REGION or us-east-1)'))
    .action(async (queue: string, o: { endpoint?: string; region?: string }) => redrive(queue, o));
}

async function redrive(ref: string, o: { endpoint?: string; region?: string }): Promise<void> {
  const sqs = sqsClient(resolveClientOptions(o));
  try {
    const dlq = await resolveQueue(sqs, ref);
    const started = await sqs.send(new StartMessageMoveTaskCommand({ SourceArn: dlq.arn }));
    // SQS moves in the background; Selfless's built-in queues finish at once. Wait for either.
    for (let i = 0; ; i++) {
      const tasks = await sqs.send(new ListMessageMoveTasksCommand({ SourceArn: dlq.arn, MaxResults: 10 }));
      const task = tasks.Results?.find((t) => t.TaskHandle === started.TaskHandle) ?? tasks.Results?.[0];
      if (task && task.Status !== 'RUNNING') {
        if (task.Status !== 'COMPLETED') throw new Error(`the move task ${task.Status}: ${task.FailureReason ?? 'no reason given'}`);
        const n = task.ApproximateNumberOfMessagesMoved ?? 0;
        process.stdout.write(`moved ${n} message${n === 1 ? '' : 's'} from ${dlq.name} back to their source queue${n === 1 ? '' : 's'}\n`);
        return;
      }
      if (i >= 600) throw new Error('the move task is still running; see ListMessageMoveTasks');
      await new Promise((r) => setTimeout(r, 500));
    }
  } finally {
    sqs.destroy();
  }
}
