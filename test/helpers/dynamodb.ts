/** DynamoDB clients pointed at a test platform, and small helpers for the DynamoDB tests. */
import { DynamoDBClient, type DynamoDBServiceException } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { CREDENTIALS } from './platform.js';

export function dynamoClients(url: string) {
  const config = { endpoint: url, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1 };
  const ddb = new DynamoDBClient(config);
  const doc = DynamoDBDocumentClient.from(ddb, { marshallOptions: { removeUndefinedValues: true } });
  const streams = new DynamoDBStreamsClient(config);
  return {
    ddb,
    doc,
    streams,
    destroy() {
      ddb.destroy();
      streams.destroy();
    },
  };
}

/** The error a promise rejects with; fails if it resolves. */
export async function failure(p: Promise<unknown>): Promise<DynamoDBServiceException> {
  try {
    await p;
  } catch (err) {
    return err as DynamoDBServiceException;
  }
  throw new Error('expected the call to fail');
}
