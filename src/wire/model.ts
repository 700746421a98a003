/**
 * Typed access to the AWS service models in ./models (generated from botocore by
 * scripts/gen-wire-models.mjs). Routes, member locations and constraints come from here.
 */
import lambdaModel from './models/lambda.json' with { type: 'json' };
import logsModel from './models/logs.json' with { type: 'json' };
import sqsModel from './models/sqs.json' with { type: 'json' };

export interface MemberRef {
  shape: string;
  location?: 'uri' | 'querystring' | 'header' | 'headers' | 'statusCode';
  locationName?: string;
  jsonvalue?: boolean;
}

export interface Shape {
  type: 'structure' | 'list' | 'map' | 'string' | 'integer' | 'long' | 'boolean' | 'blob' | 'timestamp' | 'double' | 'float';
  members?: Record<string, MemberRef>;
  required?: string[];
  payload?: string;
  member?: MemberRef;
  key?: MemberRef;
  value?: MemberRef;
  min?: number;
  max?: number;
  pattern?: string;
  enum?: string[];
  error?: { httpStatusCode: number; code?: string; senderFault?: boolean };
  exception?: boolean;
}

export interface Operation {
  name: string;
  http: { method: string; requestUri: string; responseCode?: number };
  input?: { shape: string };
  output?: { shape: string };
}

export interface ServiceModel {
  metadata: { protocol: string; targetPrefix?: string; jsonVersion?: string; endpointPrefix: string };
  operations: Record<string, Operation>;
  shapes: Record<string, Shape>;
}

export const lambdaServiceModel = lambdaModel as unknown as ServiceModel;
export const logsServiceModel = logsModel as unknown as ServiceModel;
export const sqsServiceModel = sqsModel as unknown as ServiceModel;

export function shapeOf(model: ServiceModel, name: string): Shape {
  const shape = model.shapes[name];
  if (!shape) throw new Error(`shape ${name} is not in the model`);
  return shape;
}
