/**
 * An API's `Domain`, as samtranslator writes it: AWS::ApiGateway::DomainName with a BasePathMapping per
 * base path (AWS::Serverless::Api), or AWS::ApiGatewayV2::DomainName with an ApiMapping per base path
 * (AWS::Serverless::HttpApi), the domain's logical id hashed from its name. Route 53 records, mutual TLS
 * and private domain names are refused: Selfless serves none of them.
 */
import { invalidResource, SamCause } from '../errors.js';
import { logicalIdHash } from '../hash.js';
import { isObject, ref, type Json, type JsonObject } from '../intrinsics.js';
import { cfn, type CfnResource } from '../model.js';
import type { Emitted } from '../translation.js';
import { py27KeyOrder } from './py27.js';

const SERVED = ['DomainName', 'CertificateArn', 'EndpointConfiguration', 'BasePath', 'NormalizeBasePath', 'SecurityPolicy'];

function checked(id: string, domain: Json): JsonObject {
  if (!isObject(domain)) throw invalidResource(id, "Property 'Domain' should be a map.");
  for (const k of Object.keys(domain)) {
    if (!SERVED.includes(k)) throw new SamCause(`Resource with id [${id}] uses Domain.${k}, which Selfless's SAM transform does not support (Selfless serves no Route 53, mutual TLS or private domain names).`);
  }
  return domain;
}

function basePaths(domain: JsonObject): string[] | undefined {
  const v = domain['BasePath'];
  if (v && typeof v === 'string') return [v];
  if (v && Array.isArray(v)) return v as string[];
  return undefined;
}

/**
 * The Domain as samtranslator leaves it after making the domain (its logical id under `ApiDomainName`, the
 * endpoint type filled in): the deployment's hash includes it, so a domain change redeploys.
 */
export function hashedDomain(id: string, value: Json): JsonObject {
  const domain = { ...checked(id, value) };
  domain['ApiDomainName'] = `ApiGatewayDomainName${logicalIdHash(domain['DomainName'])}`;
  if (domain['EndpointConfiguration'] === undefined || domain['EndpointConfiguration'] === null) domain['EndpointConfiguration'] = 'REGIONAL';
  return py27Ordered(domain) as JsonObject;
}

/** The template's dicts are samtranslator's Py27Dicts: `json.dumps` walks them in Python 2.7's order. */
function py27Ordered(v: Json): Json {
  if (Array.isArray(v)) return v.map(py27Ordered);
  if (!isObject(v)) return v;
  return Object.fromEntries(py27KeyOrder(Object.keys(v)).map((k) => [k, py27Ordered(v[k]!)]));
}

/** AWS::Serverless::Api's Domain (its parameters resolved): the mappings name the API's stage. */
export function restApiDomain(id: string, value: Json, stageId: string, attrs: Partial<CfnResource>): Emitted {
  const domain = checked(id, value);
  const name = domain['DomainName'];
  const cert = domain['CertificateArn'];
  if (name === undefined || name === null) throw invalidResource(id, "Missing required property 'Domain.DomainName'.");
  if (cert === undefined || cert === null) throw invalidResource(id, "Missing required property 'Domain.CertificateArn'.");
  const endpoint = domain['EndpointConfiguration'] ?? 'REGIONAL';
  if (endpoint === 'PRIVATE') throw new SamCause(`Resource with id [${id}] uses a PRIVATE custom domain, which Selfless's SAM transform does not support (Selfless serves no private domain names).`);
  if (endpoint !== 'REGIONAL' && endpoint !== 'EDGE') throw invalidResource(id, "EndpointConfiguration for Custom Domains must be one of ['EDGE', 'REGIONAL', 'PRIVATE'].");
  const domainId = `ApiGatewayDomainName${logicalIdHash(name)}`;
  const props: Record<string, Json | undefined> = { DomainName: name, [endpoint === 'REGIONAL' ? 'RegionalCertificateArn' : 'CertificateArn']: cert, EndpointConfiguration: { Types: [endpoint] } };
  if (domain['SecurityPolicy']) props['SecurityPolicy'] = domain['SecurityPolicy'];
  const out: Emitted = [[domainId, cfn('AWS::ApiGateway::DomainName', props, { ...attrs })]];
  const mapping = (basePath?: string) => cfn('AWS::ApiGateway::BasePathMapping', { DomainName: ref(domainId), RestApiId: ref(id), Stage: ref(stageId), ...(basePath !== undefined ? { BasePath: basePath } : {}) }, { ...attrs });
  const paths = basePaths(domain);
  if (!paths) return [...out, [`${id}BasePathMapping`, mapping()]];
  const normalize = domain['NormalizeBasePath'] ?? true;
  for (const p of paths) {
    if (typeof p !== 'string') throw invalidResource(id, "Property 'Domain.BasePath' should be a list of strings.");
    // Only letters and digits stay in the logical id (and in the base path, unless NormalizeBasePath is false).
    const alnum = [...p].filter((c) => /[\p{L}\p{N}]/u.test(c)).join('');
    out.push([`${id}${alnum}BasePathMapping`, mapping(normalize ? alnum : p)]);
  }
  return out;
}

/** AWS::Serverless::HttpApi's Domain: REGIONAL only, tagged as SAM tags the API. */
export function httpApiDomain(id: string, value: Json, stageId: string, attrs: Partial<CfnResource>): Emitted {
  const domain = checked(id, value);
  const name = domain['DomainName'];
  const cert = domain['CertificateArn'];
  if (name === undefined || name === null || cert === undefined || cert === null) throw invalidResource(id, 'Custom Domains only works if both DomainName and CertificateArn are provided.');
  const endpoint = domain['EndpointConfiguration'] ?? 'REGIONAL';
  if (endpoint !== 'REGIONAL') throw invalidResource(id, "EndpointConfiguration for Custom Domains must be one of ['REGIONAL'].");
  const domainId = `ApiGatewayDomainNameV2${logicalIdHash(name)}`;
  const config: JsonObject = { CertificateArn: cert, EndpointType: endpoint };
  if (domain['SecurityPolicy']) config['SecurityPolicy'] = domain['SecurityPolicy'];
  const out: Emitted = [[domainId, cfn('AWS::ApiGatewayV2::DomainName', { DomainName: name, DomainNameConfigurations: [config], Tags: { 'httpapi:createdBy': 'SAM' } }, { ...attrs })]];
  const mapping = (key?: string) => cfn('AWS::ApiGatewayV2::ApiMapping', { DomainName: ref(domainId), ApiId: ref(id), Stage: ref(stageId), ...(key !== undefined ? { ApiMappingKey: key } : {}) }, { ...attrs });
  const paths = basePaths(domain);
  if (!paths) return [...out, [`${id}ApiMapping`, mapping()]];
  for (const p of paths) {
    if (typeof p !== 'string') throw invalidResource(id, 'Basepath must be a string.');
    if (/[^0-9a-zA-Z/\-_]+/.test(p)) throw invalidResource(id, 'Invalid Basepath name provided.');
    out.push([`${id}${p.replace(/[-_/]+/g, '')}ApiMapping`, mapping(p.replace(/^\/+|\/+$/g, ''))]);
  }
  return out;
}
