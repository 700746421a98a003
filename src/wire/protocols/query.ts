/**
 * The AWS query protocol (STS; SQS for older clients): form-encoded `Action` and `Version` in,
 * XML out as `<ActionResponse><ActionResult>...</ActionResult><ResponseMetadata>`, errors as
 * `<ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/></ErrorResponse>`.
 * The service is the one whose model has the action at that version; when several do, the service
 * the request was signed for decides.
 */
import type { AwsError } from '../errors.js';
import { ProtocolErrors } from '../errors.js';
import { decodeJsonValue } from '../decode.js';
import { shapeOf, signingNameOf, type MemberRef, type Operation, type ServiceModel } from '../model.js';
import { validateShape } from '../validate.js';
import type { AwsRequest, Call, Input, Protocol, Resolution, ResponseParts } from './protocol.js';
import { decodeQueryInput, parseForm, type QueryParams } from './query-input.js';
import { escapeXml, xmlTimestamp } from './xml.js';

const CONTENT_TYPE = 'text/xml';

/** Whether a request speaks the query protocol: a form POST, or a GET naming an Action. */
export function isQueryRequest(method: string, contentType: string | undefined, query: string): boolean {
  if (method === 'POST') return contentType !== undefined && contentType.toLowerCase().startsWith('application/x-www-form-urlencoded');
  return method === 'GET' && /(?:^|&)Action=/.test(query);
}

// A value of the wrong type, in the words the query decoder uses for one.
const malformed = (reason: string) => ProtocolErrors.malformedQueryString(`${reason}.`);

export class QueryProtocol implements Protocol {
  constructor(private readonly models: readonly ServiceModel[]) {}

  resolve(req: AwsRequest): Resolution {
    const signedFor = this.models.find((m) => signingNameOf(m) === req.signingService);
    let params: QueryParams;
    try {
      params = parseForm(req.method === 'GET' ? req.query : req.body.toString('utf8'));
    } catch (err) {
      return { model: signedFor, error: err as AwsError };
    }
    const action = params.get('Action');
    const version = params.get('Version');
    const atVersion = this.models.filter((m) => version === undefined || m.metadata.apiVersion === version);
    const named = signedFor ?? (atVersion.length === 1 ? atVersion[0] : undefined);
    if (!action) return { model: named, error: ProtocolErrors.missingAction() };
    const offering = atVersion.filter((m) => Object.hasOwn(m.operations, action));
    const model = offering.find((m) => m === signedFor) ?? offering[0];
    if (!model) return { model: named, error: ProtocolErrors.invalidAction(action) };
    const operation = model.operations[action]!;
    const input = (): Input => {
      if (!operation.input) return {};
      const value = decodeQueryInput(model, operation.input.shape, params);
      validateShape(model, operation.input.shape, value);
      return value;
    };
    return { call: { model, operation, input } };
  }

  check(model: ServiceModel, operation: Operation, input: Input): void {
    if (!operation.input) return;
    decodeJsonValue(model, operation.input.shape, input, malformed, '', 'handler');
    validateShape(model, operation.input.shape, input);
  }

  encode(call: Call, output: Input, requestId: string): ResponseParts {
    const { model, operation } = call;
    const out: string[] = [`<${operation.name}Response${xmlns(model)}>`];
    if (operation.output) {
      const wrapper = operation.output.resultWrapper;
      if (wrapper) out.push(`<${wrapper}>`);
      writeMembers(model, operation.output.shape, output, out);
      if (wrapper) out.push(`</${wrapper}>`);
    }
    out.push(`<ResponseMetadata><RequestId>${escapeXml(requestId)}</RequestId></ResponseMetadata></${operation.name}Response>`);
    return { status: 200, headers: { 'Content-Type': CONTENT_TYPE }, body: out.join('') };
  }

  error(err: AwsError, model: ServiceModel | undefined, requestId: string): ResponseParts {
    const fields = Object.entries(err.fields)
      .map(([k, v]) => `<${k}>${escapeXml(v)}</${k}>`)
      .join('');
    const body =
      `<ErrorResponse${xmlns(model)}><Error><Type>${err.kind.fault}</Type><Code>${escapeXml(err.kind.queryCode)}</Code>` +
      `<Message>${escapeXml(err.message)}</Message>${fields}</Error><RequestId>${escapeXml(requestId)}</RequestId></ErrorResponse>`;
    return { status: err.status, headers: { 'Content-Type': CONTENT_TYPE, ...err.headers }, body };
  }
}

const xmlns = (model: ServiceModel | undefined) => (model?.metadata.xmlNamespace ? ` xmlns="${escapeXml(model.metadata.xmlNamespace)}"` : '');

/** A structure's members as elements, named and nested as botocore's query parser reads them. */
function writeMembers(model: ServiceModel, shapeName: string, value: Input, out: string[]): void {
  for (const [name, ref] of Object.entries(shapeOf(model, shapeName).members ?? {})) {
    const v = value[name];
    if (v !== undefined && v !== null) writeMember(model, ref, ref.locationName ?? name, v, out);
  }
}

function writeMember(model: ServiceModel, ref: MemberRef, tag: string, value: unknown, out: string[]): void {
  const shape = shapeOf(model, ref.shape);
  const flattened = ref.flattened || shape.flattened;
  switch (shape.type) {
    case 'structure':
      out.push(`<${tag}>`);
      writeMembers(model, ref.shape, value as Input, out);
      out.push(`</${tag}>`);
      return;
    case 'list': {
      const member = shape.member!;
      if (flattened) {
        for (const item of value as unknown[]) writeMember(model, member, member.locationName ?? tag, item, out);
        return;
      }
      out.push(`<${tag}>`);
      for (const item of value as unknown[]) writeMember(model, member, member.locationName ?? 'member', item, out);
      out.push(`</${tag}>`);
      return;
    }
    case 'map': {
      const keyTag = shape.key!.locationName ?? 'key';
      const valueTag = shape.value!.locationName ?? 'value';
      if (!flattened) out.push(`<${tag}>`);
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        out.push(flattened ? `<${tag}>` : '<entry>', `<${keyTag}>${escapeXml(k)}</${keyTag}>`);
        writeMember(model, shape.value!, valueTag, v, out);
        out.push(flattened ? `</${tag}>` : '</entry>');
      }
      if (!flattened) out.push(`</${tag}>`);
      return;
    }
    default:
      out.push(`<${tag}>${escapeXml(scalarText(shape.type, value))}</${tag}>`);
  }
}

function scalarText(type: string, value: unknown): string {
  switch (type) {
    case 'timestamp':
      return xmlTimestamp(value);
    case 'blob':
      return Buffer.isBuffer(value) ? value.toString('base64') : String(value);
    default:
      return String(value);
  }
}
