/**
 * Models' JSON Schemas, draft 4 as API Gateway reads them: checked when a model is written, compiled
 * once per deployment to validate request bodies. A model refers to another by the URI API Gateway
 * gives it (`https://apigateway.amazonaws.com/restapis/<api>/models/<name>`).
 */
import AjvModule, { type ValidateFunction } from 'ajv-draft-04';
import { ApiGatewayErrors } from '../../wire/errors.js';
import type { ApiModelRecord } from './model.js';

const Ajv = AjvModule.default;
type AjvInstance = InstanceType<typeof Ajv>;

export const modelUri = (apiId: string, name: string): string => `https://apigateway.amazonaws.com/restapis/${apiId}/models/${name}`;

const invalid = () => ApiGatewayErrors.badRequest('Invalid model specified: Validation Result: warnings : [], errors : [Invalid model schema specified]');

/** A schema's text as an object, or undefined if it is not a JSON object. */
function parsed(text: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(text);
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** An Ajv instance holding the API's models under their URIs (each one's own `id` set aside, as its URI names it). */
function ajvFor(apiId: string, models: readonly ApiModelRecord[]): AjvInstance {
  // Formats unknown to Ajv's core are let through: API Gateway's validator does not check them either.
  const ajv = new Ajv({ strict: false, logger: false, validateFormats: false });
  for (const m of models) {
    const schema = m.schema === undefined ? undefined : parsed(m.schema);
    if (!schema) continue;
    const { id: _id, $schema: _s, ...rest } = schema;
    ajv.addSchema(withOwnRefs(rest, apiId) as Record<string, unknown>, modelUri(apiId, m.name));
  }
  return ajv;
}

const MODEL_REF = /^https:\/\/apigateway\.amazonaws\.com\/restapis\/[^/]+\/models\/([^/#]+)(#.*)?$/;

/**
 * A model's `$ref`s to models of any API id read as this API's: an imported definition is written
 * before its API has its final id (PutRestApi moves it into another).
 */
function withOwnRefs(v: unknown, apiId: string): unknown {
  if (Array.isArray(v)) return v.map((x) => withOwnRefs(x, apiId));
  if (v === null || typeof v !== 'object') return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    const m = k === '$ref' && typeof x === 'string' ? MODEL_REF.exec(x) : null;
    out[k] = m ? modelUri(apiId, m[1]!) + (m[2] ?? '') : withOwnRefs(x, apiId);
  }
  return out;
}

/** Refuses a schema that is not a draft 4 JSON Schema, or that refers to a model the API does not have. */
export function checkSchema(apiId: string, name: string, text: string, others: readonly ApiModelRecord[]): void {
  const schema = parsed(text);
  if (!schema) throw invalid();
  const model: ApiModelRecord = { id: '', name, schema: text, contentType: 'application/json' };
  try {
    const ajv = ajvFor(
      apiId,
      [...others.filter((m) => m.name !== name), model],
    );
    ajv.getSchema(modelUri(apiId, name));
  } catch {
    throw invalid();
  }
}

/** Body validators of one deployment's models, compiled on first use. */
export class ModelValidators {
  private readonly ajv: AjvInstance;
  private readonly compiled = new Map<string, ValidateFunction | undefined>();

  constructor(
    private readonly apiId: string,
    models: readonly ApiModelRecord[],
  ) {
    this.ajv = ajvFor(apiId, models);
  }

  /** Whether `body` conforms to the model (a model with no schema, or none by that name, accepts anything). */
  accepts(modelName: string, body: unknown): boolean {
    if (!this.compiled.has(modelName)) {
      let fn: ValidateFunction | undefined;
      try {
        fn = this.ajv.getSchema(modelUri(this.apiId, modelName));
      } catch {
        fn = undefined;
      }
      this.compiled.set(modelName, fn);
    }
    const fn = this.compiled.get(modelName);
    return fn === undefined ? true : fn(body) === true;
  }
}
