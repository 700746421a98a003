/**
 * ECR (JSON 1.1): repositories and their settings and policies, what CDK's bootstrap stack and
 * `cdk bootstrap` create and read. Images are not served (no push or pull).
 */
import type { OperationHandler, ServiceBinding } from '../../api/service.js';
import type { Clock } from '../../lib/clock.js';
import type { EcrStore } from '../../storage/ecr-repo.js';
import type { Account } from '../../wire/arn.js';
import { ecrServiceModel } from '../../wire/model.js';
import type { EcrTag, RepositoryRecord } from './model.js';
import { RepositoryService } from './repository-service.js';

type WireTag = { Key: string; Value: string };
type Named = { repositoryName: string; registryId?: string };
type Filters = { filterType: string; filter: string }[];

const toTags = (tags: readonly WireTag[] | undefined): EcrTag[] => (tags ?? []).map((t) => ({ key: t.Key, value: t.Value }));

const render = (r: RepositoryRecord): Record<string, unknown> => ({
  repositoryArn: r.arn,
  registryId: r.registryId,
  repositoryName: r.name,
  repositoryUri: r.uri,
  createdAt: r.createdAt / 1000,
  imageTagMutability: r.imageTagMutability,
  imageTagMutabilityExclusionFilters: r.imageTagMutabilityExclusionFilters,
  imageScanningConfiguration: { scanOnPush: r.scanOnPush },
  encryptionConfiguration: { encryptionType: r.encryption.type, kmsKey: r.encryption.kmsKey },
});

export function ecrBinding(store: EcrStore, clock: Clock, account: Account): ServiceBinding {
  const repos = new RepositoryService(store, clock, account);
  const named = (r: { name: string; registryId: string }) => ({ registryId: r.registryId, repositoryName: r.name });
  const handlers: Record<string, OperationHandler> = {
    async CreateRepository(input) {
      const i = input as Named & {
        tags?: WireTag[];
        imageTagMutability?: string;
        imageTagMutabilityExclusionFilters?: Filters;
        imageScanningConfiguration?: { scanOnPush?: boolean };
        encryptionConfiguration?: { encryptionType: string; kmsKey?: string };
      };
      const e = i.encryptionConfiguration;
      const repo = await repos.create(
        i.repositoryName,
        {
          ...(i.imageTagMutability !== undefined ? { imageTagMutability: i.imageTagMutability } : {}),
          ...(i.imageTagMutabilityExclusionFilters ? { imageTagMutabilityExclusionFilters: i.imageTagMutabilityExclusionFilters } : {}),
          ...(i.imageScanningConfiguration?.scanOnPush !== undefined ? { scanOnPush: i.imageScanningConfiguration.scanOnPush } : {}),
          ...(e ? { encryption: { type: e.encryptionType, ...(e.kmsKey !== undefined ? { kmsKey: e.kmsKey } : {}) } } : {}),
          tags: toTags(i.tags),
        },
        i.registryId,
      );
      return { repository: render(repo) };
    },
    async DescribeRepositories(input) {
      const i = input as { registryId?: string; repositoryNames?: string[]; nextToken?: string; maxResults?: number };
      const page = await repos.describe(i.repositoryNames, i.nextToken, i.maxResults ?? 100, i.registryId);
      return { repositories: page.items.map(render), nextToken: page.next };
    },
    async DeleteRepository(input) {
      const i = input as Named & { force?: boolean };
      return { repository: render(await repos.delete(i.repositoryName, i.registryId)) };
    },
    async SetRepositoryPolicy(input) {
      const i = input as Named & { policyText: string };
      const r = await repos.setPolicy(i.repositoryName, i.policyText, i.registryId);
      return { ...named(r), policyText: i.policyText };
    },
    async GetRepositoryPolicy(input) {
      const i = input as Named;
      const text = await repos.policy(i.repositoryName, i.registryId);
      return { registryId: repos.registryId, repositoryName: i.repositoryName, policyText: text };
    },
    async DeleteRepositoryPolicy(input) {
      const i = input as Named;
      const text = await repos.deletePolicy(i.repositoryName, i.registryId);
      return { registryId: repos.registryId, repositoryName: i.repositoryName, policyText: text };
    },
    async PutLifecyclePolicy(input) {
      const i = input as Named & { lifecyclePolicyText: string };
      const r = await repos.putLifecyclePolicy(i.repositoryName, i.lifecyclePolicyText, i.registryId);
      return { ...named(r), lifecyclePolicyText: i.lifecyclePolicyText };
    },
    async GetLifecyclePolicy(input) {
      const i = input as Named;
      const text = await repos.lifecyclePolicy(i.repositoryName, i.registryId);
      return { registryId: repos.registryId, repositoryName: i.repositoryName, lifecyclePolicyText: text };
    },
    async DeleteLifecyclePolicy(input) {
      const i = input as Named;
      const text = await repos.deleteLifecyclePolicy(i.repositoryName, i.registryId);
      return { registryId: repos.registryId, repositoryName: i.repositoryName, lifecyclePolicyText: text };
    },
    async PutImageScanningConfiguration(input) {
      const i = input as Named & { imageScanningConfiguration: { scanOnPush?: boolean } };
      const r = await repos.update(i.repositoryName, (x) => ({ ...x, scanOnPush: i.imageScanningConfiguration.scanOnPush ?? false }), i.registryId);
      return { ...named(r), imageScanningConfiguration: { scanOnPush: r.scanOnPush } };
    },
    async PutImageTagMutability(input) {
      const i = input as Named & { imageTagMutability: string; imageTagMutabilityExclusionFilters?: Filters };
      const r = await repos.update(
        i.repositoryName,
        ({ imageTagMutabilityExclusionFilters: _old, ...x }) => ({
          ...x,
          imageTagMutability: i.imageTagMutability,
          ...(i.imageTagMutabilityExclusionFilters ? { imageTagMutabilityExclusionFilters: i.imageTagMutabilityExclusionFilters } : {}),
        }),
        i.registryId,
      );
      return { ...named(r), imageTagMutability: r.imageTagMutability, imageTagMutabilityExclusionFilters: r.imageTagMutabilityExclusionFilters };
    },
    async TagResource(input) {
      const i = input as { resourceArn: string; tags: WireTag[] };
      await repos.tag(i.resourceArn, toTags(i.tags), []);
      return {};
    },
    async UntagResource(input) {
      const i = input as { resourceArn: string; tagKeys: string[] };
      await repos.tag(i.resourceArn, [], i.tagKeys);
      return {};
    },
    async ListTagsForResource(input) {
      const repo = await repos.byArn((input as { resourceArn: string }).resourceArn);
      return { tags: repo.tags.map((t) => ({ Key: t.key, Value: t.value })) };
    },
  };
  return { models: [ecrServiceModel], handlers };
}
