/** AWS SDK clients for the CLI, pointed at a Selfless server; never at AWS, never without credentials. */
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';

// The SDK's notice about its future Node.js floor is not the user's concern in a CLI's output.
process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';

export interface ClientOptions {
  endpoint: string;
  region: string;
}

export function resolveClientOptions(flags: { endpoint?: string; region?: string }): ClientOptions {
  return {
    endpoint: (flags.endpoint ?? process.env['SELFLESS_ENDPOINT'] ?? 'http://127.0.0.1:9000').replace(/\/+$/, ''),
    region: flags.region ?? process.env['SELFLESS_REGION'] ?? process.env['AWS_REGION'] ?? 'us-east-1',
  };
}

function credentials() {
  return {
    accessKeyId: process.env['AWS_ACCESS_KEY_ID'] ?? 'selfless',
    secretAccessKey: process.env['AWS_SECRET_ACCESS_KEY'] ?? 'selfless',
    ...(process.env['AWS_SESSION_TOKEN'] ? { sessionToken: process.env['AWS_SESSION_TOKEN'] } : {}),
  };
}

export const lambdaClient = (o: ClientOptions) => new LambdaClient({ endpoint: o.endpoint, region: o.region, credentials: credentials(), maxAttempts: 1 });
export const logsClient = (o: ClientOptions) => new CloudWatchLogsClient({ endpoint: o.endpoint, region: o.region, credentials: credentials(), maxAttempts: 1 });
export const cloudformationClient = (o: ClientOptions) => new CloudFormationClient({ endpoint: o.endpoint, region: o.region, credentials: credentials(), maxAttempts: 1 });
