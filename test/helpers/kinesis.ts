/** A Kinesis client for a test server: credentials and region always set, no retries (HTTP/2, the client's default). */
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { CREDENTIALS } from './platform.js';

export const kinesisClient = (endpoint: string): KinesisClient => new KinesisClient({ endpoint, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1 });

export const streamArn = (name: string): string => `arn:aws:kinesis:us-east-1:000000000000:stream/${name}`;
