/** A CloudFormation client for a test platform, a suite's platform and clients, and waits on stacks with a short delay. */
import {
  CloudFormationClient,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  type Stack,
  type StackEvent,
} from '@aws-sdk/client-cloudformation';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { PlatformOverrides } from '../../src/main.js';
import { CREDENTIALS, type TestPlatform } from './platform.js';
import { sqsClient } from './sqs.js';
import { platformSuite } from './suite.js';

export const cfnClient = (t: TestPlatform): CloudFormationClient => new CloudFormationClient({ endpoint: t.platform.url, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1 });

/** What any AWS SDK v3 client of a test platform is made with. */
export const clientConfig = (t: TestPlatform) => ({ endpoint: t.platform.url, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1 });

export interface CfnSuite {
  t: TestPlatform;
  cfn: CloudFormationClient;
  sqs: SQSClient;
}

/**
 * Starts a platform before the suite's tests, with CloudFormation and SQS clients, and stops them after;
 * `use` hands them to the suite (`cfnSuite((s) => ({ t, cfn, sqs } = s))`).
 */
export function cfnSuite(use: (s: CfnSuite) => void, overrides: PlatformOverrides = {}): void {
  platformSuite<{ cfn: CloudFormationClient; sqs: SQSClient }>((t) => ({ cfn: cfnClient(t), sqs: sqsClient(t.platform.url) }), use, overrides);
}

/** Polls DescribeStacks until the stack leaves *_IN_PROGRESS (REVIEW_IN_PROGRESS counts as settled), for up to a minute. */
export async function settledStack(cfn: CloudFormationClient, name: string, deadlineMs = 60_000): Promise<Stack> {
  const until = Date.now() + deadlineMs;
  for (;;) {
    const s = (await cfn.send(new DescribeStacksCommand({ StackName: name }))).Stacks![0]!;
    if (!s.StackStatus!.endsWith('_IN_PROGRESS') || s.StackStatus === 'REVIEW_IN_PROGRESS') return s;
    if (Date.now() > until) throw new Error(`stack ${name} still ${s.StackStatus} after ${deadlineMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function eventsOf(cfn: CloudFormationClient, name: string): Promise<StackEvent[]> {
  return (await cfn.send(new DescribeStackEventsCommand({ StackName: name }))).StackEvents ?? [];
}
