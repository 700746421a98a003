/**
 * ECR (JSON 1.1): repositories and their settings and policies, what CDK's bootstrap stack and
 * `cdk bootstrap` create and read. Images are not served (no push or pull).
 */
import { typedHandlers, type OperationHandler, type ServiceBinding } from '../../api/service.js';
import type { Clock } from '../../lib/clock.js';
import type { EcrStore } from '../../storage/ecr-repo.js';
import type { Account } from '../../wire/arn.js';
import { ecrServiceModel } from '../../wire/model.js';
import type { EcrTag, RepositoryRecord } from './model.js';
import { RepositoryService, type PolicyKind } from './repository-service.js';
import type { EcrInputs } from '../../wire/inputs/ecr.js';

type WireTag = { Key: string; Value: string };
type Named = { repositoryName: string; registryId?: string };

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

/** Put, get and delete of one of a repository's policies, whose text travels in `textMember`. */
function policyHandlers(
  repos: RepositoryService,
  kind: PolicyKind,
  operations: { put: string; get: string; delete: string },
  textMember: 'policyText' | 'lifecyclePolicyText',
): Record<string, OperationHandler> {
  const answer = (repositoryName: string, text: string) => ({ registryId: repos.registryId, repositoryName, [textMember]: text });
  return {
    async [operations.put](input) {
      const i = input as Named;
      const text = input[textMember] as string;
      const r = await repos.putPolicy(kind, i.repositoryName, text, i.registryId);
      return { registryId: r.registryId, repositoryName: r.name, [textMember]: text };
    },
    async [operations.get](input) {
      const i = input as Named;
      return answer(i.repositoryName, await repos.policy(kind, i.repositoryName, i.registryId));
    },
    async [operations.delete](input) {
      const i = input as Named;
      return answer(i.repositoryName, await repos.deletePolicy(kind, i.repositoryName, i.registryId));
    },
  };
}

export function ecrBinding(store: EcrStore, clock: Clock, account: Account): ServiceBinding {
  const repos = new RepositoryService(store, clock, account);
  const named = (r: { name: string; registryId: string }) => ({ registryId: r.registryId, repositoryName: r.name });
  const handlers: Record<string, OperationHandler> = typedHandlers<EcrInputs>({
    async CreateRepository(i) {
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
    async DescribeRepositories(i) {
      const page = await repos.describe(i.repositoryNames, i.nextToken, i.maxResults ?? 100, i.registryId);
      return { repositories: page.items.map(render), nextToken: page.next };
    },
    async DeleteRepository(i) {
      return { repository: render(await repos.delete(i.repositoryName, i.registryId)) };
    },
    ...policyHandlers(repos, 'policy', { put: 'SetRepositoryPolicy', get: 'GetRepositoryPolicy', delete: 'DeleteRepositoryPolicy' }, 'policyText'),
    ...policyHandlers(repos, 'lifecyclePolicy', { put: 'PutLifecyclePolicy', get: 'GetLifecyclePolicy', delete: 'DeleteLifecyclePolicy' }, 'lifecyclePolicyText'),
    async PutImageScanningConfiguration(i) {
      const r = await repos.update(i.repositoryName, (x) => ({ ...x, scanOnPush: i.imageScanningConfiguration.scanOnPush ?? false }), i.registryId);
      return { ...named(r), imageScanningConfiguration: { scanOnPush: r.scanOnPush } };
    },
    async PutImageTagMutability(i) {
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
    async TagResource(i) {
      await repos.tag(i.resourceArn, toTags(i.tags), []);
      return {};
    },
    async UntagResource(i) {
      await repos.tag(i.resourceArn, [], i.tagKeys);
      return {};
    },
    async ListTagsForResource(input) {
      const repo = await repos.byArn(input.resourceArn);
      return { tags: repo.tags.map((t) => ({ Key: t.key, Value: t.value })) };
    },
  });
  return { models: [ecrServiceModel], handlers };
}
