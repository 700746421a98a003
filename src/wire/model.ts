/**
 * Typed access to the AWS service models in ./models (generated from botocore by
 * scripts/gen-wire-models.mjs). Routes, member locations, wire names and constraints come from here.
 */
import lambdaModel from './models/lambda.json' with { type: 'json' };
import logsModel from './models/logs.json' with { type: 'json' };
import sqsModel from './models/sqs.json' with { type: 'json' };
import sqsQueryTraits from './models/sqs.query.json' with { type: 'json' };
import stsModel from './models/sts.json' with { type: 'json' };
// S3 (rest-xml)
import s3Model from './models/s3.json' with { type: 'json' };
import secretsManagerModel from './models/secretsmanager.json' with { type: 'json' };
import ssmModel from './models/ssm.json' with { type: 'json' };
import kmsModel from './models/kms.json' with { type: 'json' };
import cloudwatchModel from './models/cloudwatch.json' with { type: 'json' };
import dynamodbModel from './models/dynamodb.json' with { type: 'json' };
import dynamodbStreamsModel from './models/dynamodbstreams.json' with { type: 'json' };
import snsModel from './models/sns.json' with { type: 'json' };
import eventsModel from './models/events.json' with { type: 'json' };
import schedulerModel from './models/scheduler.json' with { type: 'json' };
import apigatewayModel from './models/apigateway.json' with { type: 'json' };
import apigatewayv2Model from './models/apigatewayv2.json' with { type: 'json' };
import iamModel from './models/iam.json' with { type: 'json' };
import ecrModel from './models/ecr.json' with { type: 'json' };
import kinesisModel from './models/kinesis.json' with { type: 'json' };
import cloudformationModel from './models/cloudformation.json' with { type: 'json' };
import codedeployModel from './models/codedeploy.json' with { type: 'json' };
import apigatewaymanagementapiModel from './models/apigatewaymanagementapi.json' with { type: 'json' };

/** Traits of a reference that say how it goes on the wire (botocore's `serialization`). */
interface WireTraits {
  locationName?: string;
  flattened?: boolean;
  /** rest-xml: the member is an attribute of its element (S3's `xsi:type`). */
  xmlAttribute?: boolean;
  /** rest-xml: the payload's namespace. */
  xmlNamespace?: { uri: string };
}

export interface MemberRef extends WireTraits {
  shape: string;
  location?: 'uri' | 'querystring' | 'header' | 'headers' | 'statusCode';
  jsonvalue?: boolean;
  /** A blob payload read or written as a stream (S3's object bodies). */
  streaming?: boolean;
}

export interface Shape {
  type: 'structure' | 'list' | 'map' | 'string' | 'integer' | 'long' | 'boolean' | 'blob' | 'timestamp' | 'double' | 'float';
  members?: Record<string, MemberRef>;
  required?: string[];
  payload?: string;
  member?: MemberRef;
  key?: MemberRef;
  value?: MemberRef;
  flattened?: boolean;
  min?: number;
  max?: number;
  pattern?: string;
  enum?: string[];
  /** `code` is what query-protocol clients see (`awsQueryError`), when it differs from the shape's name. */
  error?: { httpStatusCode: number; code?: string; senderFault?: boolean };
  exception?: boolean;
  /** A union of events sent as `application/vnd.amazon.eventstream` (InvokeWithResponseStream's output). */
  eventstream?: boolean;
}

export interface Operation {
  name: string;
  http: { method: string; requestUri: string; responseCode?: number };
  input?: { shape: string; locationName?: string };
  /** Superseded by another operation on the same route (S3's `PutBucketNotification`). */
  deprecated?: boolean;
  output?: { shape: string; resultWrapper?: string };
}

export type ProtocolName = 'rest-json' | 'json' | 'query' | 'rest-xml' | 'smithy-rpc-v2-cbor';

export interface ServiceModel {
  metadata: {
    protocol: string;
    apiVersion: string;
    endpointPrefix: string;
    signingName?: string;
    targetPrefix?: string;
    jsonVersion?: string;
    xmlNamespace?: string;
    /** JSON services that were query services first (SQS) also say their errors in query terms. */
    awsQueryCompatible?: Record<string, never>;
  };
  operations: Record<string, Operation>;
  shapes: Record<string, Shape>;
}

/** What scripts/gen-wire-models.mjs writes beside a JSON model for the query protocol (`<service>.query.json`). */
interface QueryTraits {
  metadata: { protocol: 'query'; apiVersion: string; xmlNamespace: string };
  operations: Record<string, { output: { resultWrapper: string } }>;
  shapes: Record<string, { members?: Record<string, WireTraits>; member?: WireTraits; key?: WireTraits; value?: WireTraits }>;
}

/** The same service, described for the query protocol: the model with the query wire names laid over it. */
function withQueryTraits(model: ServiceModel, traits: QueryTraits): ServiceModel {
  const shapes: Record<string, Shape> = { ...model.shapes };
  for (const [name, t] of Object.entries(traits.shapes)) {
    const shape = shapes[name];
    if (!shape) throw new Error(`query traits name a shape the model lacks: ${name}`);
    const next: Shape = { ...shape };
    if (t.members) {
      next.members = { ...shape.members };
      for (const [m, mt] of Object.entries(t.members)) next.members[m] = { ...next.members[m]!, ...mt };
    }
    if (t.member) next.member = { ...shape.member!, ...t.member };
    if (t.key) next.key = { ...shape.key!, ...t.key };
    if (t.value) next.value = { ...shape.value!, ...t.value };
    shapes[name] = next;
  }
  const operations: Record<string, Operation> = {};
  for (const [name, op] of Object.entries(model.operations)) {
    const wrapper = traits.operations[name]?.output.resultWrapper;
    operations[name] = wrapper && op.output ? { ...op, output: { ...op.output, resultWrapper: wrapper } } : op;
  }
  const { awsQueryCompatible: _json, targetPrefix: _target, jsonVersion: _version, ...metadata } = model.metadata;
  return { metadata: { ...metadata, ...traits.metadata }, operations, shapes };
}

const SHAPE_TYPES: readonly string[] = ['structure', 'list', 'map', 'string', 'integer', 'long', 'boolean', 'blob', 'timestamp', 'double', 'float'];
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Whether a JSON file is a service model as this module reads one: checked once, as each model loads. */
function isServiceModel(m: unknown): m is ServiceModel {
  if (!isObject(m) || !isObject(m['metadata']) || !isObject(m['operations']) || !isObject(m['shapes'])) return false;
  if (typeof m['metadata']['protocol'] !== 'string' || typeof m['metadata']['apiVersion'] !== 'string') return false;
  return Object.values(m['shapes']).every((shape) => isObject(shape) && SHAPE_TYPES.includes(String(shape['type'])));
}

function loadModel(json: unknown, name: string): ServiceModel {
  if (!isServiceModel(json)) throw new Error(`${name} is not a service model (see scripts/gen-wire-models.mjs)`);
  return json;
}

function isQueryTraits(t: unknown): t is QueryTraits {
  return isObject(t) && isObject(t['metadata']) && t['metadata']['protocol'] === 'query' && isObject(t['operations']) && isObject(t['shapes']);
}

function loadQueryTraits(json: unknown): QueryTraits {
  if (!isQueryTraits(json)) throw new Error('sqs.query.json is not a set of query traits (see scripts/gen-wire-models.mjs)');
  return json;
}

export const lambdaServiceModel = loadModel(lambdaModel, 'lambdaModel');
export const logsServiceModel = loadModel(logsModel, 'logsModel');
export const sqsServiceModel = loadModel(sqsModel, 'sqsModel');
export const sqsQueryServiceModel = withQueryTraits(sqsServiceModel, loadQueryTraits(sqsQueryTraits));
export const stsServiceModel = loadModel(stsModel, 'stsModel');
export const s3ServiceModel = loadModel(s3Model, 's3Model');
export const secretsManagerServiceModel = loadModel(secretsManagerModel, 'secretsManagerModel');
export const ssmServiceModel = loadModel(ssmModel, 'ssmModel');
export const kmsServiceModel = loadModel(kmsModel, 'kmsModel');

/**
 * CloudWatch: one model, listed for three protocols. Current SDKs and boto3 send JSON 1.0 (with
 * `x-amzn-query-mode`), older ones query, and RPC v2 CBOR is the model's first; all are served from
 * the same shapes (the model keeps the query wire names and result wrappers).
 */
const cloudwatchAllProtocols = loadModel(cloudwatchModel, 'cloudwatchModel');
export const cloudwatchServiceModel: ServiceModel = { ...cloudwatchAllProtocols, metadata: { ...cloudwatchAllProtocols.metadata, protocol: 'json' } };
export const cloudwatchCborServiceModel: ServiceModel = cloudwatchAllProtocols;
export const cloudwatchQueryServiceModel: ServiceModel = (() => {
  const { awsQueryCompatible: _json, targetPrefix: _target, jsonVersion: _version, ...metadata } = cloudwatchAllProtocols.metadata;
  return { ...cloudwatchAllProtocols, metadata: { ...metadata, protocol: 'query' } };
})();
export const dynamodbServiceModel = loadModel(dynamodbModel, 'dynamodbModel');
export const dynamodbStreamsServiceModel = loadModel(dynamodbStreamsModel, 'dynamodbStreamsModel');
export const snsServiceModel = loadModel(snsModel, 'snsModel');
export const eventsServiceModel = loadModel(eventsModel, 'eventsModel');
export const schedulerServiceModel = loadModel(schedulerModel, 'schedulerModel');
export const apigatewayServiceModel = loadModel(apigatewayModel, 'apigatewayModel');
export const apigatewayv2ServiceModel = loadModel(apigatewayv2Model, 'apigatewayv2Model');
export const iamServiceModel = loadModel(iamModel, 'iamModel');
export const ecrServiceModel = loadModel(ecrModel, 'ecrModel');
export const kinesisServiceModel = loadModel(kinesisModel, 'kinesisModel');
export const cloudformationServiceModel = loadModel(cloudformationModel, 'cloudformationModel');
export const codedeployServiceModel = loadModel(codedeployModel, 'codedeployModel');
export const apigatewaymanagementapiServiceModel = loadModel(apigatewaymanagementapiModel, 'apigatewaymanagementapiModel');

export function shapeOf(model: ServiceModel, name: string): Shape {
  const shape = model.shapes[name];
  if (!shape) throw new Error(`shape ${name} is not in the model`);
  return shape;
}

/** The name a client signs requests with (SigV4 credential scope): `signingName`, else `endpointPrefix`. */
export const signingNameOf = (model: ServiceModel): string => model.metadata.signingName ?? model.metadata.endpointPrefix;
