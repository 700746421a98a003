/**
 * Everything the extension's endpoint answers, in one place. AWS documents the extension's requests
 * (the header, the paths and their query parameters, the invoke phase only) but not its refusals; these
 * follow AWS's open-source Secrets Manager Agent, which serves the same `/secretsmanager/get` requests
 * with the same header in Lambda: a forwarded request 400, a missing or wrong token 403, another method
 * than GET 405, an unknown path 404, a bad query 400, a request before the invoke phase 503. Errors of
 * Secrets Manager and Parameter Store pass through as the JSON protocol renders them (the service's
 * status, `X-Amzn-ErrorType`, `{"__type", "message"}`); anything else is a 500 `InternalFailure`.
 */
import type { ServerResponse } from 'node:http';
import type { AwsError } from '../../wire/errors.js';
import { secretsManagerServiceModel, ssmServiceModel } from '../../wire/model.js';
import { JsonProtocol } from '../../wire/protocols/json.js';

export interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const text = (status: number, body: string): Answer => ({ status, headers: { 'content-type': 'text/plain; charset=utf-8' }, body });

export const Refusals = {
  forwarded: () => text(400, 'Forwarded requests are refused: the extension serves its own environment only.'),
  badToken: () => text(403, "Bad token: X-Aws-Parameters-Secrets-Token must be this environment's AWS_SESSION_TOKEN."),
  method: () => text(405, 'Not allowed: the extension answers GET requests only.'),
  notFound: (path: string) => text(404, `Not found: ${path} (the extension serves /secretsmanager/get and /systemsmanager/parameters/get).`),
  initialising: () => text(503, 'Not serving yet: the extension answers during the invoke phase, not while the function initialises.'),
  missing: (name: string) => text(400, `missing parameter ${name}`),
  unknown: (name: string) => text(400, `unknown parameter: ${name}`),
  invalid: (why: string) => text(400, why),
};

const services = new JsonProtocol([secretsManagerServiceModel, ssmServiceModel]);
const MODELS = { secretsmanager: secretsManagerServiceModel, ssm: ssmServiceModel };

/** An error of the service asked, as that service answers it. */
export function serviceError(service: keyof typeof MODELS, err: AwsError): Answer {
  const parts = services.error(err, MODELS[service]);
  return { status: parts.status, headers: parts.headers, body: String(parts.body) };
}

export const internalFailure = (): Answer => ({ status: 500, headers: { 'content-type': 'application/json' }, body: '{"__type":"InternalFailure"}' });

export const found = (body: string): Answer => ({ status: 200, headers: { 'content-type': 'application/json' }, body });

export function send(res: ServerResponse, a: Answer): void {
  res.writeHead(a.status, { ...a.headers, 'content-length': Buffer.byteLength(a.body) });
  res.end(a.body);
}
