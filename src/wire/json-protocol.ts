/**
 * The AWS JSON protocol (CloudWatch Logs, later SQS): `POST /` with `X-Amz-Target: Prefix.Operation`,
 * a JSON body in and out, errors as `{"__type": ..., "message": ...}`.
 */
import { decodeJsonValue } from './decode.js';
import { AwsError } from './errors.js';
import { type Operation, type ServiceModel } from './model.js';
import { parseJsonBody, type HttpResponseParts, type Input } from './rest-json.js';
import { validateShape } from './validate.js';

export function decodeJsonInput(model: ServiceModel, op: Operation, body: Buffer): Input {
  if (!op.input) return {};
  const value = (decodeJsonValue(model, op.input.shape, parseJsonBody(body)) ?? {}) as Input;
  validateShape(model, op.input.shape, value);
  return value;
}

export function encodeJsonOutput(model: ServiceModel, output: Input): HttpResponseParts {
  return {
    status: 200,
    headers: { 'Content-Type': `application/x-amz-json-${model.metadata.jsonVersion ?? '1.1'}` },
    body: JSON.stringify(output),
  };
}

export function encodeJsonError(model: ServiceModel, err: AwsError): HttpResponseParts {
  return {
    status: err.status,
    headers: { 'Content-Type': `application/x-amz-json-${model.metadata.jsonVersion ?? '1.1'}`, 'x-amzn-ErrorType': err.code, ...err.headers },
    body: JSON.stringify({ __type: err.code, message: err.message, ...err.fields }),
  };
}
