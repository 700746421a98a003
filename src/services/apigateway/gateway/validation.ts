/**
 * Request validation by the method's request validator: required parameters (`method.request.<where>.<name>: true`)
 * must be present, and a JSON body must conform to the model the method names for its content type
 * (`$default` otherwise). Refusals are API Gateway's BAD_REQUEST_PARAMETERS and BAD_REQUEST_BODY.
 */
import { ModelValidators } from '../json-schema.js';
import type { DeploymentRecord, MethodRecord } from '../model.js';
import { header, queryParam, type GatewayRequest } from './request.js';
import { Gateway } from './responses.js';

// A deployment never changes: its compiled models live as long as the stage service keeps it.
const compiled = new WeakMap<DeploymentRecord, ModelValidators>();

function modelsOf(deployment: DeploymentRecord): ModelValidators {
  let found = compiled.get(deployment);
  if (!found) {
    found = new ModelValidators(deployment.api.id, Object.values(deployment.api.models ?? {}));
    compiled.set(deployment, found);
  }
  return found;
}

export function validateRequest(deployment: DeploymentRecord, method: MethodRecord, req: GatewayRequest, pathParameters: Readonly<Record<string, string>>): void {
  const validator = method.requestValidatorId === undefined ? undefined : deployment.api.requestValidators?.[method.requestValidatorId];
  if (!validator) return;
  if (validator.validateRequestParameters) {
    const missing = missingParameters(method.requestParameters ?? {}, req, pathParameters);
    if (missing.length > 0) throw Gateway.missingParameters(missing);
  }
  if (validator.validateRequestBody) checkBody(deployment, method, req);
}

function missingParameters(declared: Record<string, boolean>, req: GatewayRequest, pathParameters: Readonly<Record<string, string>>): string[] {
  const missing: string[] = [];
  for (const [key, required] of Object.entries(declared)) {
    if (!required) continue;
    const m = /^method\.request\.(querystring|multivaluequerystring|header|multivalueheader|path)\.(.+)$/.exec(key);
    if (!m) continue;
    const [, where, name] = m as unknown as [string, string, string];
    const present = where.endsWith('header') ? header(req, name) !== undefined : where.endsWith('querystring') ? queryParam(req, name) !== undefined : pathParameters[name] !== undefined;
    if (!present) missing.push(name);
  }
  return missing;
}

function checkBody(deployment: DeploymentRecord, method: MethodRecord, req: GatewayRequest): void {
  const contentType = header(req, 'content-type')?.split(';')[0]?.trim().toLowerCase() || 'application/json';
  const models = method.requestModels ?? {};
  const modelName = Object.entries(models).find(([t]) => t.toLowerCase() === contentType)?.[1] ?? models['$default'];
  if (modelName === undefined) return;
  let body: unknown;
  const text = req.body.toString('utf8');
  try {
    // An empty body is validated as an empty object.
    body = text.trim() === '' ? {} : JSON.parse(text);
  } catch {
    throw Gateway.invalidBody();
  }
  if (!modelsOf(deployment).accepts(modelName, body)) throw Gateway.invalidBody();
}
