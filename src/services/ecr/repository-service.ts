/** ECR repositories: created, described, configured and deleted; their policies kept as text (images are not served). */
import type { Clock } from '../../lib/clock.js';
import type { EcrStore } from '../../storage/ecr-repo.js';
import type { Account } from '../../wire/arn.js';
import { EcrErrors } from '../../wire/errors.js';
import type { EcrTag, RepositoryRecord } from './model.js';

export interface RepositorySettings {
  imageTagMutability?: string;
  imageTagMutabilityExclusionFilters?: { filterType: string; filter: string }[];
  scanOnPush?: boolean;
  encryption?: { type: string; kmsKey?: string };
  tags?: EcrTag[];
}

/** ECR allows 50 tags on a repository. */
const MAX_TAGS = 50;

/** A repository's two policies: its permissions, and the rules that expire its images. */
export type PolicyKind = 'policy' | 'lifecyclePolicy';

const POLICIES: Record<PolicyKind, { invalid: string; notFound: (name: string, accountId: string) => Error }> = {
  policy: {
    invalid: "Invalid parameter at 'PolicyText' failed to satisfy constraint: 'Invalid repository policy provided'",
    notFound: (name, accountId) => EcrErrors.repositoryPolicyNotFound(name, accountId),
  },
  lifecyclePolicy: {
    invalid: "Invalid parameter at 'LifecyclePolicyText' failed to satisfy constraint: 'Lifecycle policy validation failure: Could not map policyString into LifecyclePolicy.'",
    notFound: (name, accountId) => EcrErrors.lifecyclePolicyNotFound(name, accountId),
  },
};

export class RepositoryService {
  constructor(
    private readonly store: EcrStore,
    private readonly clock: Clock,
    private readonly account: Account,
  ) {}

  get registryId(): string {
    return this.account.accountId;
  }

  arnOf(name: string): string {
    return `arn:aws:ecr:${this.account.region}:${this.account.accountId}:repository/${name}`;
  }

  async create(name: string, s: RepositorySettings, registryId?: string): Promise<RepositoryRecord> {
    this.checkRegistry(name, registryId);
    const repo: RepositoryRecord = {
      name,
      arn: this.arnOf(name),
      registryId: this.account.accountId,
      uri: `${this.account.accountId}.dkr.ecr.${this.account.region}.amazonaws.com/${name}`,
      createdAt: this.clock.now(),
      imageTagMutability: s.imageTagMutability ?? 'MUTABLE',
      ...(s.imageTagMutabilityExclusionFilters ? { imageTagMutabilityExclusionFilters: s.imageTagMutabilityExclusionFilters } : {}),
      scanOnPush: s.scanOnPush ?? false,
      encryption: s.encryption ?? { type: 'AES256' },
      tags: mergeTags([], s.tags ?? [], []),
    };
    if (repo.encryption.type === 'KMS' && repo.encryption.kmsKey === undefined) repo.encryption = { type: 'KMS', kmsKey: `arn:aws:kms:${this.account.region}:${this.account.accountId}:alias/aws/ecr` };
    if (!(await this.store.repositories.create(name, repo))) throw EcrErrors.repositoryExists(name, this.account.accountId);
    return repo;
  }

  async get(name: string, registryId?: string): Promise<RepositoryRecord> {
    this.checkRegistry(name, registryId);
    const found = await this.store.repositories.get(name);
    if (!found) throw EcrErrors.repositoryNotFound(name, this.account.accountId);
    return found.value;
  }

  /** Named repositories (every one must exist), or a page of all in name order. */
  async describe(names: readonly string[] | undefined, after: string | undefined, limit: number, registryId?: string): Promise<{ items: RepositoryRecord[]; next?: string }> {
    if (names && names.length > 0) return { items: await Promise.all(names.map((n) => this.get(n, registryId))) };
    const page = await this.store.repositories.list('', after, limit + 1);
    const items = page.slice(0, limit).map((p) => p.value);
    return page.length > limit ? { items, next: items[items.length - 1]!.name } : { items };
  }

  /** No images are ever stored here, so a repository is always empty and `force` changes nothing. */
  async delete(name: string, registryId?: string): Promise<RepositoryRecord> {
    const repo = await this.get(name, registryId);
    if (!(await this.store.repositories.delete(name))) throw EcrErrors.repositoryNotFound(name, this.account.accountId);
    return repo;
  }

  /** Applies `change` with compare-and-set, so that two servers never lose each other's change. */
  async update(name: string, change: (r: RepositoryRecord) => RepositoryRecord, registryId?: string): Promise<RepositoryRecord> {
    this.checkRegistry(name, registryId);
    for (;;) {
      const found = await this.store.repositories.get(name);
      if (!found) throw EcrErrors.repositoryNotFound(name, this.account.accountId);
      const next = change(found.value);
      if (await this.store.repositories.update(name, next, found.revision)) return next;
    }
  }

  /** Sets a repository's policy (`policy`: its permissions; `lifecyclePolicy`: its image expiry rules). */
  putPolicy(kind: PolicyKind, name: string, text: string, registryId?: string): Promise<RepositoryRecord> {
    checkJson(text, POLICIES[kind].invalid);
    return this.update(name, (r) => ({ ...r, [kind]: text }), registryId);
  }

  async policy(kind: PolicyKind, name: string, registryId?: string): Promise<string> {
    const repo = await this.get(name, registryId);
    const text = repo[kind];
    if (text === undefined) throw POLICIES[kind].notFound(name, this.account.accountId);
    return text;
  }

  /** Deletes a repository's policy; returns its text. */
  async deletePolicy(kind: PolicyKind, name: string, registryId?: string): Promise<string> {
    const text = await this.policy(kind, name, registryId);
    await this.update(name, ({ [kind]: _gone, ...r }) => r, registryId);
    return text;
  }

  /** The repository an ARN names; ECR's tagging operations take ARNs. */
  async byArn(arn: string): Promise<RepositoryRecord> {
    const prefix = `arn:aws:ecr:${this.account.region}:${this.account.accountId}:repository/`;
    if (!arn.startsWith(prefix)) throw EcrErrors.invalidParameter(`Invalid parameter at 'resourceArn' failed to satisfy constraint: 'Invalid ARN'`);
    return this.get(arn.slice(prefix.length));
  }

  async tag(arn: string, add: readonly EcrTag[], remove: readonly string[]): Promise<void> {
    const repo = await this.byArn(arn);
    await this.update(repo.name, (r) => ({ ...r, tags: mergeTags(r.tags, add, remove) }));
  }

  private checkRegistry(name: string, registryId: string | undefined): void {
    if (registryId !== undefined && registryId !== this.account.accountId) throw EcrErrors.repositoryNotFound(name, registryId);
  }
}

function checkJson(text: string, message: string): void {
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return;
  } catch {
    // falls through to the refusal
  }
  throw EcrErrors.invalidParameter(message);
}

function mergeTags(tags: readonly EcrTag[], add: readonly EcrTag[], remove: readonly string[]): EcrTag[] {
  const byKey = new Map(tags.map((t) => [t.key, t.value]));
  for (const t of add) byKey.set(t.key, t.value);
  for (const k of remove) byKey.delete(k);
  if (byKey.size > MAX_TAGS) throw EcrErrors.tooManyTags(`Exceeded the maximum allowed number of tags (${MAX_TAGS})`);
  return [...byKey].map(([key, value]) => ({ key, value }));
}
