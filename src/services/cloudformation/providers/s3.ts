/** AWS::S3::Bucket and AWS::S3::BucketPolicy, through S3's own operations. */
import type { Properties, ResourceContext, ResourceProvider } from '../provider.js';
import { changed, gone, int, json, list, lowerName, obj, onlyKnown, orUndo, str, tagsOf, UnsupportedProperty } from './props.js';

const BUCKET = 'AWS::S3::Bucket';
const KNOWN = [
  'BucketName', 'Tags', 'AccessControl', 'CorsConfiguration', 'LifecycleConfiguration', 'NotificationConfiguration', 'VersioningConfiguration',
  // Accepted as no change here: objects are stored by Selfless alone (no server-side encryption setting to honour), no request
  // is public or refused by policies yet, and ACLs are not served, so these settings describe what already holds.
  'BucketEncryption', 'PublicAccessBlockConfiguration', 'OwnershipControls',
];
const NOT_FOUND = 'NoSuchBucket';

type Rule = Record<string, unknown>;
const RULE_KEYS = ['Id', 'Status', 'Prefix', 'ExpirationInDays', 'ExpirationDate', 'AbortIncompleteMultipartUpload', 'NoncurrentVersionExpiration', 'NoncurrentVersionExpirationInDays'];

function corsRules(props: Properties) {
  return list<Rule>(obj(props, 'CorsConfiguration') ?? {}, 'CorsRules').map((r) => ({
    ...(r['Id'] !== undefined ? { ID: String(r['Id']) } : {}),
    AllowedMethods: list<string>(r, 'AllowedMethods').map(String),
    AllowedOrigins: list<string>(r, 'AllowedOrigins').map(String),
    ...(r['AllowedHeaders'] !== undefined ? { AllowedHeaders: list<string>(r, 'AllowedHeaders').map(String) } : {}),
    ...(r['ExposedHeaders'] !== undefined ? { ExposeHeaders: list<string>(r, 'ExposedHeaders').map(String) } : {}),
    ...(r['MaxAge'] !== undefined ? { MaxAgeSeconds: int(r, 'MaxAge') } : {}),
  }));
}

function lifecycleRules(props: Properties) {
  return list<Rule>(obj(props, 'LifecycleConfiguration') ?? {}, 'Rules').map((r) => {
    for (const key of Object.keys(r)) {
      if (!RULE_KEYS.includes(key)) throw new UnsupportedProperty(BUCKET, `LifecycleConfiguration.Rules[].${key}`, 'Selfless applies expirations, expirations of noncurrent versions and aborts of incomplete uploads only.');
    }
    const abort = obj(r, 'AbortIncompleteMultipartUpload');
    const noncurrent = obj(r, 'NoncurrentVersionExpiration');
    const noncurrentDays = noncurrent ? int(noncurrent, 'NoncurrentDays') : int(r, 'NoncurrentVersionExpirationInDays');
    const newerNoncurrent = noncurrent ? int(noncurrent, 'NewerNoncurrentVersions') : undefined;
    const date = str(r, 'ExpirationDate');
    const days = int(r, 'ExpirationInDays');
    return {
      ...(r['Id'] !== undefined ? { ID: String(r['Id']) } : {}),
      Status: str(r, 'Status') ?? 'Enabled',
      Filter: { Prefix: str(r, 'Prefix') ?? '' },
      ...(days !== undefined || date !== undefined ? { Expiration: { ...(days !== undefined ? { Days: days } : {}), ...(date !== undefined ? { Date: Date.parse(date) / 1000 } : {}) } } : {}),
      ...(abort ? { AbortIncompleteMultipartUpload: { DaysAfterInitiation: int(abort, 'DaysAfterInitiation') } } : {}),
      ...(noncurrentDays !== undefined
        ? { NoncurrentVersionExpiration: { NoncurrentDays: noncurrentDays, ...(newerNoncurrent !== undefined ? { NewerNoncurrentVersions: newerNoncurrent } : {}) } }
        : {}),
    };
  });
}

/** CloudFormation's notification shapes (one event each, `Function`/`Queue`/`Topic`, `S3Key` rules) in S3's. */
function notifications(props: Properties) {
  const n = obj(props, 'NotificationConfiguration') ?? {};
  const filter = (c: Rule) => {
    const rules = list<Rule>(obj(obj(c, 'Filter') ?? {}, 'S3Key') ?? {}, 'Rules');
    return rules.length > 0 ? { Filter: { Key: { FilterRules: rules.map((r) => ({ Name: String(r['Name']), Value: String(r['Value']) })) } } } : {};
  };
  const of = (key: string, arnKey: string, apiArnKey: string) =>
    list<Rule>(n, key).map((c) => ({ Events: [String(c['Event'])], [apiArnKey]: String(c[arnKey]), ...filter(c) }));
  const bridge = obj(n, 'EventBridgeConfiguration');
  return {
    LambdaFunctionConfigurations: of('LambdaConfigurations', 'Function', 'LambdaFunctionArn'),
    QueueConfigurations: of('QueueConfigurations', 'Queue', 'QueueArn'),
    // S3 itself says when it cannot deliver to a kind of destination.
    TopicConfigurations: of('TopicConfigurations', 'Topic', 'TopicArn'),
    ...(bridge && bool(bridge) ? { EventBridgeConfiguration: {} } : {}),
  };
}
const bool = (c: Rule): boolean => c['EventBridgeEnabled'] === true || c['EventBridgeEnabled'] === 'true';

/** ACLs are not served: every bucket is private to its owner, which is the one canned ACL a template may ask for. */
function checkAccessControl(props: Properties): void {
  const acl = str(props, 'AccessControl');
  if (acl !== undefined && acl !== 'Private') throw new UnsupportedProperty(BUCKET, 'AccessControl', `S3 ACLs are not served: buckets are Private, not ${acl}.`);
}

/** Enabled or Suspended; a bucket once versioned stays so when the property goes (as on AWS). */
const versioningOf = (props: Properties): string | undefined => str(obj(props, 'VersioningConfiguration') ?? {}, 'Status');

async function configure(ctx: ResourceContext, bucket: string, props: Properties, previous: Properties | undefined): Promise<void> {
  const is = (key: string) => !previous || changed(props, previous, key);
  if (!previous || JSON.stringify(tagsOf(props, ctx)) !== JSON.stringify(tagsOf(previous, ctx))) {
    const tags = tagsOf(props, ctx);
    if (tags.length > 0) await ctx.call('s3', 'PutBucketTagging', { Bucket: bucket, Tagging: { TagSet: tags } });
    else if (previous) await ctx.call('s3', 'DeleteBucketTagging', { Bucket: bucket });
  }
  if (is('CorsConfiguration')) {
    const rules = corsRules(props);
    if (rules.length > 0) await ctx.call('s3', 'PutBucketCors', { Bucket: bucket, CORSConfiguration: { CORSRules: rules } });
    else if (previous) await ctx.call('s3', 'DeleteBucketCors', { Bucket: bucket });
  }
  if (is('LifecycleConfiguration')) {
    const rules = lifecycleRules(props);
    if (rules.length > 0) await ctx.call('s3', 'PutBucketLifecycleConfiguration', { Bucket: bucket, LifecycleConfiguration: { Rules: rules } });
    else if (previous) await ctx.call('s3', 'DeleteBucketLifecycle', { Bucket: bucket });
  }
  const versioning = versioningOf(props);
  if (versioning !== undefined && (!previous || versioning !== versioningOf(previous))) {
    await ctx.call('s3', 'PutBucketVersioning', { Bucket: bucket, VersioningConfiguration: { Status: versioning } });
  }
  if (is('NotificationConfiguration') && (previous || props['NotificationConfiguration'] !== undefined)) {
    await ctx.call('s3', 'PutBucketNotificationConfiguration', { Bucket: bucket, NotificationConfiguration: notifications(props) });
  }
}

function bucketAttributes(ctx: ResourceContext, name: string) {
  const r = ctx.region;
  return {
    physicalId: name,
    attributes: {
      Arn: `arn:aws:s3:::${name}`,
      DomainName: `${name}.s3.amazonaws.com`,
      RegionalDomainName: `${name}.s3.${r}.amazonaws.com`,
      DualStackDomainName: `${name}.s3.dualstack.${r}.amazonaws.com`,
      WebsiteURL: `http://${name}.s3-website-${r}.amazonaws.com`,
    },
  };
}

const bucket: ResourceProvider = {
  replaceOn: ['BucketName'],
  async create(props, ctx) {
    onlyKnown(BUCKET, props, KNOWN);
    checkAccessControl(props);
    const name = str(props, 'BucketName') ?? lowerName(ctx, 63);
    await ctx.call('s3', 'CreateBucket', { Bucket: name });
    return orUndo(
      async () => {
        await configure(ctx, name, props, undefined);
        return bucketAttributes(ctx, name);
      },
      () => bucket.delete(name, props, ctx),
    );
  },
  async update(name, props, previous, ctx) {
    onlyKnown(BUCKET, props, KNOWN);
    checkAccessControl(props);
    await configure(ctx, name, props, previous);
    return bucketAttributes(ctx, name);
  },
  /** As CloudFormation: a bucket that still holds objects is not deleted (BucketNotEmpty). */
  async delete(name, _props, ctx) {
    await gone(ctx.call('s3', 'DeleteBucket', { Bucket: name }), NOT_FOUND);
  },
};

/** The bucket's policy; its physical id is the bucket's name. */
const bucketPolicy: ResourceProvider = {
  replaceOn: ['Bucket'],
  async create(props, ctx) {
    onlyKnown('AWS::S3::BucketPolicy', props, ['Bucket', 'PolicyDocument']);
    const name = str(props, 'Bucket') ?? '';
    await ctx.call('s3', 'PutBucketPolicy', { Bucket: name, Policy: json(props, 'PolicyDocument') ?? '' });
    return { physicalId: name, attributes: {} };
  },
  async update(name, props, _previous, ctx) {
    onlyKnown('AWS::S3::BucketPolicy', props, ['Bucket', 'PolicyDocument']);
    await ctx.call('s3', 'PutBucketPolicy', { Bucket: name, Policy: json(props, 'PolicyDocument') ?? '' });
    return { physicalId: name, attributes: {} };
  },
  async delete(name, _props, ctx) {
    await gone(ctx.call('s3', 'DeleteBucketPolicy', { Bucket: name }), NOT_FOUND);
  },
};

export const s3Providers: Record<string, ResourceProvider> = { [BUCKET]: bucket, 'AWS::S3::BucketPolicy': bucketPolicy };
