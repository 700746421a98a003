/**
 * The one catalog of errors users see, one file per service in ./errors/: each kind holds AWS's
 * exception name, HTTP status, fault and, for query-protocol clients, the code they read; each entry
 * pairs a kind with its message template. Domain code throws entries' errors and tests them with the
 * predicates below; each protocol module has one renderer that turns them into its wire shape.
 * test/unit/errors-catalog.test.ts checks every kind against its service model.
 */
import { AwsError } from './errors/core.js';
import { Errors } from './errors/lambda.js';
import { ProtocolErrors } from './errors/protocol.js';
import { LogsErrors } from './errors/logs.js';
import { SqsErrors } from './errors/sqs.js';
import { StsErrors } from './errors/sts.js';
import { S3Errors } from './errors/s3.js';
import { KmsErrors, SecretsManagerErrors, SsmErrors } from './errors/secrets.js';
import { CloudWatchErrors } from './errors/cloudwatch.js';
import { SignatureErrors } from './errors/signature.js';
import { DynamoDbErrors, DynamoDbStreamsErrors } from './errors/dynamodb.js';
import { SnsErrors } from './errors/sns.js';
import { EventsErrors, SchedulerErrors } from './errors/events.js';
import { ApiGatewayErrors } from './errors/apigateway.js';
import { ApiGatewayV2Errors } from './errors/apigatewayv2.js';
import { IamErrors } from './errors/iam.js';
import { EcrErrors } from './errors/ecr.js';
import { KinesisErrors } from './errors/kinesis.js';
import { CloudFormationErrors } from './errors/cloudformation.js';
import { CodeDeployErrors } from './errors/codedeploy.js';
import { ApiGatewayManagementErrors } from './errors/apigatewaymanagementapi.js';

export * from './errors/core.js';
export * from './errors/lambda.js';
export * from './errors/protocol.js';
export * from './errors/logs.js';
export * from './errors/sqs.js';
export * from './errors/sts.js';
export * from './errors/s3.js';
export * from './errors/secrets.js';
export * from './errors/cloudwatch.js';
export * from './errors/signature.js';
export * from './errors/dynamodb.js';
export * from './errors/sns.js';
export * from './errors/events.js';
export * from './errors/apigateway.js';
export * from './errors/apigatewayv2.js';
export * from './errors/iam.js';
export * from './errors/ecr.js';
export * from './errors/kinesis.js';
export * from './errors/cloudformation.js';
export * from './errors/codedeploy.js';
export * from './errors/apigatewaymanagementapi.js';

/** Every catalog, by the service model its kinds belong to (none: the protocols' own). */
export const CATALOGS = {
  lambda: Errors,
  logs: LogsErrors,
  sqs: SqsErrors,
  sts: StsErrors,
  s3: S3Errors,
  secretsmanager: SecretsManagerErrors,
  ssm: SsmErrors,
  kms: KmsErrors,
  cloudwatch: CloudWatchErrors,
  dynamodb: DynamoDbErrors,
  dynamodbstreams: DynamoDbStreamsErrors,
  sns: SnsErrors,
  events: EventsErrors,
  scheduler: SchedulerErrors,
  apigateway: ApiGatewayErrors,
  apigatewayv2: ApiGatewayV2Errors,
  iam: IamErrors,
  ecr: EcrErrors,
  kinesis: KinesisErrors,
  cloudformation: CloudFormationErrors,
  codedeploy: CodeDeployErrors,
  apigatewaymanagementapi: ApiGatewayManagementErrors,
  protocol: ProtocolErrors,
  signature: SignatureErrors,
} as const;

const named = (name: string) => (err: unknown): err is AwsError => err instanceof AwsError && err.kind.name === name;

/** A WebSocket connection is closed, or never was (@connections). */
export const isGone = named('GoneException');
/** Whatever the service: the thing named does not exist. */
export const isResourceNotFound = named('ResourceNotFoundException');
/** A concurrency or rate limit refused the call; it may succeed later. */
export const isThrottled = named('TooManyRequestsException');
export const isRecursiveInvocation = named('RecursiveInvocationException');
/** DynamoDB: a write's condition did not hold. */
export const isConditionalCheckFailed = named('ConditionalCheckFailedException');
/** SQS: the queue a URL names does not exist. */
export const isQueueMissing = named('QueueDoesNotExist');

