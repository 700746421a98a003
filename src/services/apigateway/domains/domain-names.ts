/**
 * Custom domain names and their mappings, shared by API Gateway v1 (base path mappings) and v2 (API
 * mappings). Certificates are stored as given: Selfless serves no ACM, so an ARN is never checked.
 * Every change is a compare-and-set of the domain's one document, retried on a lost race.
 */
import type { Clock } from '../../../lib/clock.js';
import type { DocumentRepo } from '../../../storage/secrets-repo.js';
import { ApiGatewayErrors } from '../../../wire/errors.js';
import { newShortId } from '../ids.js';
import { resolveMapping, type MappedRequest } from './resolve.js';
import { validMappingKey, type DomainMapping, type DomainRecord } from './records.js';

export interface DomainInput {
  domainName: string;
  endpointType?: DomainRecord['endpointType'];
  certificateArn?: string;
  certificateName?: string;
  regionalCertificateArn?: string;
  regionalCertificateName?: string;
  securityPolicy?: string;
  tags?: Record<string, string>;
}

export interface MappingInput {
  key: string;
  apiId: string;
  stage?: string;
}

/** Which APIs and stages exist, asked before a mapping names them. */
export interface MappingTargets {
  /** `rest`: only REST APIs (v1's base path mappings); `any`: REST, HTTP and WebSocket APIs (v2's API mappings). */
  apiExists(apiId: string, kinds: 'rest' | 'any'): Promise<boolean>;
  stageExists(apiId: string, stage: string): Promise<boolean>;
}

export interface DomainNamesDeps {
  repo: DocumentRepo<DomainRecord>;
  clock: Clock;
  region: string;
  targets: MappingTargets;
  /** Told after every change, so that the front door forgets what it knew of the name. */
  changed?: (domainName: string) => void;
}

const MAX_RETRIES = 20;
const keyOf = (name: string) => name.toLowerCase();

export class DomainNames {
  constructor(private readonly d: DomainNamesDeps) {}

  async create(input: DomainInput): Promise<DomainRecord> {
    const name = keyOf(input.domainName);
    if (!/^(?:\*\.)?(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}$/.test(name)) throw ApiGatewayErrors.badRequest(`Invalid domain name: ${input.domainName}`);
    const endpointType = input.endpointType ?? (input.regionalCertificateArn || input.regionalCertificateName ? 'REGIONAL' : 'EDGE');
    const regional = endpointType !== 'EDGE';
    if (regional && !input.regionalCertificateArn && !input.regionalCertificateName) throw ApiGatewayErrors.badRequest('A regional certificate must be provided for a REGIONAL domain name.');
    if (!regional && !input.certificateArn && !input.certificateName) throw ApiGatewayErrors.badRequest('A certificate must be provided for an EDGE domain name.');
    const id = newShortId() + newShortId().slice(0, 4);
    const record: DomainRecord = {
      domainName: name,
      domainNameId: id,
      endpointType,
      ...pick(input, ['certificateArn', 'certificateName', 'regionalCertificateArn', 'regionalCertificateName']),
      securityPolicy: input.securityPolicy ?? 'TLS_1_2',
      targetDomainName: regional ? `d-${id}.execute-api.${this.d.region}.amazonaws.com` : `d${id}abc.cloudfront.net`,
      certificateUploadDate: this.d.clock.now(),
      tags: input.tags ?? {},
      mappings: [],
    };
    if (!(await this.d.repo.create(name, record))) throw ApiGatewayErrors.conflict('The domain name you provided already exists.');
    this.d.changed?.(name);
    return record;
  }

  async get(domainName: string): Promise<DomainRecord> {
    const found = await this.d.repo.get(keyOf(domainName));
    if (!found) throw ApiGatewayErrors.notFound('Invalid domain name identifier specified');
    return found.value;
  }

  /** The domain a Host names (port left out), if it is one. */
  async find(host: string): Promise<DomainRecord | undefined> {
    return (await this.d.repo.get(keyOf(host.replace(/:\d+$/, ''))))?.value;
  }

  async list(): Promise<DomainRecord[]> {
    const out: DomainRecord[] = [];
    for (let after: string | undefined; ; ) {
      const page = await this.d.repo.list('', after, 500);
      out.push(...page.map((p) => p.value));
      if (page.length < 500) return out;
      after = page[page.length - 1]!.value.domainName;
    }
  }

  /** Applies `change` to the stored domain (a copy), retried on a concurrent write. */
  async update<T = DomainRecord>(domainName: string, change: (d: DomainRecord) => T | Promise<T>): Promise<T> {
    const name = keyOf(domainName);
    for (let attempt = 0; attempt < MAX_RETRIES; attempt++) {
      const found = await this.d.repo.get(name);
      if (!found) throw ApiGatewayErrors.notFound('Invalid domain name identifier specified');
      const copy = structuredClone(found.value);
      const result = await change(copy);
      if (await this.d.repo.update(name, copy, found.revision)) {
        this.d.changed?.(name);
        return result;
      }
    }
    throw ApiGatewayErrors.conflict('The domain name was changed concurrently; try again.');
  }

  async delete(domainName: string): Promise<void> {
    const name = keyOf(domainName);
    if (!(await this.d.repo.delete(name))) throw ApiGatewayErrors.notFound('Invalid domain name identifier specified');
    this.d.changed?.(name);
  }

  async addMapping(domainName: string, input: MappingInput, kinds: 'rest' | 'any'): Promise<DomainMapping> {
    await this.checkTarget(input, kinds);
    return this.update(domainName, (d) => {
      if (d.mappings.some((m) => m.key === input.key)) throw ApiGatewayErrors.conflict('Base path already exists for this domain name');
      const mapping: DomainMapping = { id: newShortId(), key: input.key, apiId: input.apiId, ...(input.stage !== undefined ? { stage: input.stage } : {}) };
      d.mappings.push(mapping);
      return mapping;
    });
  }

  /** Changes the mapping `select` finds; the changed mapping is checked as a new one would be. */
  async updateMapping(domainName: string, select: (m: DomainMapping) => boolean, change: (m: DomainMapping) => DomainMapping, kinds: 'rest' | 'any'): Promise<DomainMapping> {
    const before = mappingOf(await this.get(domainName), select);
    const after = change({ ...before });
    await this.checkTarget(after, kinds);
    return this.update(domainName, (d) => {
      const i = d.mappings.findIndex((m) => m.id === before.id);
      if (i === -1) throw ApiGatewayErrors.notFound('Invalid base path mapping identifier specified');
      if (d.mappings.some((m, j) => j !== i && m.key === after.key)) throw ApiGatewayErrors.conflict('Base path already exists for this domain name');
      d.mappings[i] = after;
      return after;
    });
  }

  async deleteMapping(domainName: string, select: (m: DomainMapping) => boolean): Promise<void> {
    await this.update(domainName, (d) => {
      const m = mappingOf(d, select);
      d.mappings = d.mappings.filter((x) => x.id !== m.id);
    });
  }

  /** A request on a custom domain: its domain (undefined: none by that name) and the mapping its path goes to. */
  async route(host: string, path: string): Promise<{ domain: DomainRecord; mapped: MappedRequest | undefined } | undefined> {
    const domain = await this.find(host);
    return domain && { domain, mapped: resolveMapping(domain.mappings, path) };
  }

  private async checkTarget(m: MappingInput, kinds: 'rest' | 'any'): Promise<void> {
    if (!validMappingKey(m.key)) throw ApiGatewayErrors.badRequest(`Invalid base path: ${m.key}. A base path may contain only letters, numbers and one of $-_.+!*'(), with / between segments.`);
    if (!(await this.d.targets.apiExists(m.apiId, kinds))) throw ApiGatewayErrors.badRequest('Invalid REST API identifier specified');
    if (m.stage !== undefined && !(await this.d.targets.stageExists(m.apiId, m.stage))) throw ApiGatewayErrors.badRequest('Invalid stage identifier specified');
  }
}

export function mappingOf(d: DomainRecord, select: (m: DomainMapping) => boolean): DomainMapping {
  const m = d.mappings.find(select);
  if (!m) throw ApiGatewayErrors.notFound('Invalid base path mapping identifier specified');
  return m;
}

function pick<T extends object, K extends keyof T>(o: T, keys: readonly K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const k of keys) if (o[k] !== undefined && o[k] !== null) out[k] = o[k];
  return out;
}
