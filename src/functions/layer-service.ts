/** Layers: versioned packages that functions list in `Layers` and see merged under /opt. */
import type { CodeStore } from '../code/code-store.js';
import { MAX_UNZIPPED_BYTES, unzippedSize } from '../code/zip.js';
import { LayerPermissions } from './layer-permissions.js';
import { formatLastModified, type LayerVersionRecord } from '../domain/function.js';
import type { Clock } from '../lib/clock.js';
import type { LayerRepo } from '../storage/store.js';
import type { Account } from '../wire/arn.js';
import { Errors } from '../wire/errors.js';
import { isProvidedLayer } from './provided-layers.js';

export const MAX_LAYERS = 5;

export interface PublishLayerInput {
  zip: Buffer;
  description?: string;
  compatibleRuntimes?: string[];
  compatibleArchitectures?: string[];
  licenseInfo?: string;
}

export class LayerService {
  /** Who may use each layer version. */
  readonly permissions: LayerPermissions;

  constructor(
    private readonly repo: LayerRepo,
    private readonly code: CodeStore,
    private readonly clock: Clock,
    private readonly account: Account,
  ) {
    this.permissions = new LayerPermissions(repo, (name, version) => this.versionArn(name, version));
  }

  layerArn(name: string): string {
    return `arn:aws:lambda:${this.account.region}:${this.account.accountId}:layer:${name}`;
  }

  versionArn(name: string, version: number): string {
    return `${this.layerArn(name)}:${version}`;
  }

  /** A layer name may be given as its ARN. */
  nameOf(raw: string): string {
    const m = /^arn:[^:]+:lambda:([^:]+):(\d{12}):layer:([a-zA-Z0-9-_]+)$/.exec(raw);
    if (!m) return raw;
    if (m[1] !== this.account.region || m[2] !== this.account.accountId) throw Errors.resourceNotFound(`Layer not found: ${raw}`);
    return m[3]!;
  }

  async publish(name: string, input: PublishLayerInput): Promise<LayerVersionRecord> {
    const stored = await this.code.put(input.zip);
    return this.repo.publish({
      name,
      description: input.description ?? '',
      code: stored,
      compatibleRuntimes: input.compatibleRuntimes ?? [],
      compatibleArchitectures: input.compatibleArchitectures ?? [],
      ...(input.licenseInfo !== undefined ? { licenseInfo: input.licenseInfo } : {}),
      createdDate: formatLastModified(this.clock.now()),
    });
  }

  /** A version, as `caller` (an account id; the server's own when undefined) may see it. */
  async get(name: string, version: number, caller?: string): Promise<LayerVersionRecord> {
    const v = await this.repo.get(name, version);
    if (!v) throw Errors.resourceNotFound('The resource you requested does not exist.');
    this.checkAccess(v, caller);
    return v;
  }

  /** Layers are the server account's: another account's caller needs a grant in the version's policy. */
  private checkAccess(layer: LayerVersionRecord, caller: string | undefined): void {
    if (caller === undefined || caller === this.account.accountId || this.permissions.grants(layer, caller)) return;
    throw Errors.layerAccessDenied(caller, this.versionArn(layer.name, layer.version));
  }

  list(name: string): Promise<LayerVersionRecord[]> {
    return this.repo.list(name);
  }

  latest(): Promise<LayerVersionRecord[]> {
    return this.repo.latest();
  }

  delete(name: string, version: number): Promise<void> {
    return this.repo.delete(name, version);
  }

  /**
   * The layer versions a function's `Layers` names, checked to exist, in order; layers the platform
   * provides itself (provided-layers.ts) are accepted and have no version here.
   */
  async resolve(arns: readonly string[], caller?: string): Promise<LayerVersionRecord[]> {
    if (arns.length > MAX_LAYERS) throw Errors.invalidParameter(`Cannot reference more than ${MAX_LAYERS} layers.`);
    const out: LayerVersionRecord[] = [];
    for (const arn of arns) {
      if (isProvidedLayer(arn)) continue;
      const m = /^arn:[^:]+:lambda:([^:]+):(\d{12}):layer:([a-zA-Z0-9-_]+):(\d+)$/.exec(arn);
      const found = m && m[1] === this.account.region && m[2] === this.account.accountId ? await this.repo.get(m[3]!, Number(m[4])) : undefined;
      if (!found) throw Errors.invalidParameter(`Layer version ${arn} does not exist.`);
      this.checkAccess(found, caller);
      out.push(found);
    }
    if (new Set(out.map((l) => l.name)).size !== out.length) throw Errors.invalidParameter('Two different versions of the same layer are not allowed.');
    return out;
  }

  /**
   * Lambda's bound on a function's code and its layers together, unzipped: the function's package
   * given as its zip (being created or updated) or as the hash of the package it has.
   */
  async checkUnzippedTotal(functionCode: Buffer | string, arns: readonly string[]): Promise<void> {
    if (arns.length === 0) return;
    let total = typeof functionCode === 'string' ? await this.code.unzippedSize(functionCode) : await unzippedSize(functionCode);
    for (const layer of await this.resolve(arns)) total += await this.code.unzippedSize(layer.code.sha256);
    if (total > MAX_UNZIPPED_BYTES) {
      throw Errors.invalidParameter(`Function code combined with layers exceeds the maximum allowed size of ${MAX_UNZIPPED_BYTES} bytes. The actual size is ${total} bytes.`);
    }
  }

  /** The merged /opt folder of a function's layers, or undefined when it has none to mount. */
  async optDir(arns: readonly string[]): Promise<string | undefined> {
    const layers = await this.resolve(arns);
    if (layers.length === 0) return undefined;
    return this.code.merged(layers.map((l) => l.code.sha256));
  }
}
