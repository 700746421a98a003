/** AWS::ECR::Repository, through ECR's own operations (repositories and their settings; images are not served). */
import type { Properties, ResourceContext, ResourceProvider } from '../provider.js';
import { bool, changed, gone, json, list, obj, onlyKnown, orUndo, str, syncTags, tagsOf } from './props.js';

const TYPE = 'AWS::ECR::Repository';
const KNOWN = [
  'RepositoryName', 'EmptyOnDelete', 'EncryptionConfiguration', 'ImageScanningConfiguration', 'ImageTagMutability',
  'ImageTagMutabilityExclusionFilters', 'LifecyclePolicy', 'RepositoryPolicyText', 'Tags',
];
const NOT_FOUND = 'RepositoryNotFoundException';

const filters = (props: Properties) =>
  list<Record<string, unknown>>(props, 'ImageTagMutabilityExclusionFilters').map((f) => ({
    filterType: String(f['ImageTagMutabilityExclusionFilterType']),
    filter: String(f['ImageTagMutabilityExclusionFilterValue']),
  }));
const lifecycleText = (props: Properties): string | undefined => {
  const l = obj(props, 'LifecyclePolicy');
  return l ? json(l, 'LifecyclePolicyText') : undefined;
};

async function attributes(ctx: ResourceContext, name: string) {
  const [repo] = (await ctx.call('api.ecr', 'DescribeRepositories', { repositoryNames: [name] }))['repositories'] as { repositoryArn: string; repositoryUri: string }[];
  return { physicalId: name, attributes: { Arn: repo!.repositoryArn, RepositoryUri: repo!.repositoryUri } };
}

async function applyPolicies(ctx: ResourceContext, name: string, props: Properties, previous: Properties | undefined): Promise<void> {
  const policy = json(props, 'RepositoryPolicyText');
  if (!previous || changed(props, previous, 'RepositoryPolicyText')) {
    if (policy !== undefined) await ctx.call('api.ecr', 'SetRepositoryPolicy', { repositoryName: name, policyText: policy });
    else if (previous) await gone(ctx.call('api.ecr', 'DeleteRepositoryPolicy', { repositoryName: name }), 'RepositoryPolicyNotFoundException');
  }
  const lifecycle = lifecycleText(props);
  if (!previous || lifecycle !== lifecycleText(previous)) {
    if (lifecycle !== undefined) await ctx.call('api.ecr', 'PutLifecyclePolicy', { repositoryName: name, lifecyclePolicyText: lifecycle });
    else if (previous) await gone(ctx.call('api.ecr', 'DeleteLifecyclePolicy', { repositoryName: name }), 'LifecyclePolicyNotFoundException');
  }
}

const repository: ResourceProvider = {
  replaceOn: ['RepositoryName', 'EncryptionConfiguration'],
  async create(props, ctx) {
    onlyKnown(TYPE, props, KNOWN);
    // Repository names are lowercase.
    const name = str(props, 'RepositoryName') ?? ctx.physicalName(256).toLowerCase();
    const encryption = obj(props, 'EncryptionConfiguration');
    const scanning = obj(props, 'ImageScanningConfiguration');
    const tags = tagsOf(props, ctx);
    await ctx.call('api.ecr', 'CreateRepository', {
      repositoryName: name,
      ...(str(props, 'ImageTagMutability') !== undefined ? { imageTagMutability: str(props, 'ImageTagMutability') } : {}),
      ...(filters(props).length > 0 ? { imageTagMutabilityExclusionFilters: filters(props) } : {}),
      ...(scanning ? { imageScanningConfiguration: { scanOnPush: bool(scanning, 'ScanOnPush') ?? false } } : {}),
      ...(encryption
        ? { encryptionConfiguration: { encryptionType: str(encryption, 'EncryptionType') ?? 'AES256', ...(str(encryption, 'KmsKey') !== undefined ? { kmsKey: str(encryption, 'KmsKey') } : {}) } }
        : {}),
      ...(tags.length > 0 ? { tags } : {}),
    });
    return orUndo(
      async () => {
        await applyPolicies(ctx, name, props, undefined);
        return attributes(ctx, name);
      },
      () => repository.delete(name, props, ctx),
    );
  },
  async update(name, props, previous, ctx) {
    onlyKnown(TYPE, props, KNOWN);
    if (changed(props, previous, 'ImageScanningConfiguration')) {
      const scanning = obj(props, 'ImageScanningConfiguration');
      await ctx.call('api.ecr', 'PutImageScanningConfiguration', { repositoryName: name, imageScanningConfiguration: { scanOnPush: (scanning && bool(scanning, 'ScanOnPush')) ?? false } });
    }
    if (changed(props, previous, 'ImageTagMutability') || changed(props, previous, 'ImageTagMutabilityExclusionFilters')) {
      await ctx.call('api.ecr', 'PutImageTagMutability', {
        repositoryName: name,
        imageTagMutability: str(props, 'ImageTagMutability') ?? 'MUTABLE',
        ...(filters(props).length > 0 ? { imageTagMutabilityExclusionFilters: filters(props) } : {}),
      });
    }
    await applyPolicies(ctx, name, props, previous);
    const { Arn: arn } = (await attributes(ctx, name)).attributes;
    await syncTags(ctx, props, previous, (tags) => ctx.call('api.ecr', 'TagResource', { resourceArn: arn, tags }), (tagKeys) => ctx.call('api.ecr', 'UntagResource', { resourceArn: arn, tagKeys }));
    return attributes(ctx, name);
  },
  // No images are stored, so EmptyOnDelete changes nothing: a repository here is always empty.
  async delete(name, _props, ctx) {
    await gone(ctx.call('api.ecr', 'DeleteRepository', { repositoryName: name, force: true }), NOT_FOUND);
  },
};

export const ecrProviders: Record<string, ResourceProvider> = { [TYPE]: repository };
