/** Shared by the async-*.test.ts files: queues to read records from, and bounded waits on them. */
import { FilterLogEventsCommand, type CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, type Message, type SQSClient } from '@aws-sdk/client-sqs';

export async function createQueue(sqs: SQSClient, name: string): Promise<{ url: string; arn: string }> {
  const url = (await sqs.send(new CreateQueueCommand({ QueueName: name }))).QueueUrl!;
  const attrs = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }));
  return { url, arn: attrs.Attributes!['QueueArn']! };
}

/** Long-polls until a message arrives, for at most `timeoutMs`. */
export async function receiveOne(sqs: SQSClient, url: string, timeoutMs = 30_000): Promise<Message> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const res = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 2, MaxNumberOfMessages: 1, MessageAttributeNames: ['All'] }),
    );
    const m = res.Messages?.[0];
    if (m) return m;
  }
  throw new Error(`no message in ${url} within ${timeoutMs} ms`);
}

/** Receives once (short poll of `waitSeconds`) and returns whatever is there. */
export async function receiveNow(sqs: SQSClient, url: string, waitSeconds = 1): Promise<Message[]> {
  const res = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: waitSeconds, MaxNumberOfMessages: 10 }));
  return res.Messages ?? [];
}

export interface InvocationRecord {
  version: string;
  timestamp: string;
  requestContext: { requestId: string; functionArn: string; condition: string; approximateInvokeCount: number };
  requestPayload: unknown;
  responseContext?: { statusCode: number; executedVersion: string; functionError?: string };
  responsePayload?: unknown;
}

export const recordOf = (m: Message): InvocationRecord => JSON.parse(m.Body!) as InvocationRecord;

/** How many times a request id started, from the function's START lines. */
export async function startsOf(logs: CloudWatchLogsClient, fn: string, requestId: string): Promise<number> {
  const res = await logs.send(new FilterLogEventsCommand({ logGroupName: `/aws/lambda/${fn}`, filterPattern: `"START RequestId: ${requestId}"` }));
  return (res.events ?? []).filter((e) => e.message?.startsWith(`START RequestId: ${requestId}`)).length;
}

export const json = (v: unknown): Uint8Array => Buffer.from(JSON.stringify(v));
