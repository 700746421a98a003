/** AWS::DynamoDB::Table, through DynamoDB's own operations. */
import type { Properties, ResourceContext, ResourceProvider } from '../provider.js';
import { bool, changed, gone, int, list, obj, onlyKnown, orUndo, str, syncTags, tagsOf, UnsupportedProperty } from './props.js';

const TABLE = 'AWS::DynamoDB::Table';
const NOT_FOUND = 'ResourceNotFoundException';
const KNOWN = [
  'TableName', 'AttributeDefinitions', 'KeySchema', 'BillingMode', 'ProvisionedThroughput', 'GlobalSecondaryIndexes', 'LocalSecondaryIndexes',
  'StreamSpecification', 'TimeToLiveSpecification', 'SSESpecification', 'Tags', 'TableClass', 'DeletionProtectionEnabled',
  'PointInTimeRecoverySpecification', 'ContributorInsightsSpecification',
];
type Spec = Record<string, unknown>;

/** Features that change what a table does and are not served: refused when turned on. */
function refuseUnserved(props: Properties): void {
  const pitr = obj(props, 'PointInTimeRecoverySpecification');
  if (pitr && bool(pitr, 'PointInTimeRecoveryEnabled')) throw new UnsupportedProperty(TABLE, 'PointInTimeRecoverySpecification', 'point-in-time recovery is not served.');
  const insights = obj(props, 'ContributorInsightsSpecification');
  if (insights && bool(insights, 'Enabled')) throw new UnsupportedProperty(TABLE, 'ContributorInsightsSpecification', 'Contributor Insights is not served.');
}

const throughput = (t: Spec | undefined) => (t ? { ReadCapacityUnits: int(t, 'ReadCapacityUnits') ?? 0, WriteCapacityUnits: int(t, 'WriteCapacityUnits') ?? 0 } : undefined);
const keySchema = (k: unknown) => (Array.isArray(k) ? k : []).map((e: Spec) => ({ AttributeName: String(e['AttributeName']), KeyType: String(e['KeyType']) }));
function index(i: Spec): Spec {
  const p = (i['Projection'] as Spec | undefined) ?? {};
  const t = throughput(i['ProvisionedThroughput'] as Spec | undefined);
  return {
    IndexName: String(i['IndexName']),
    KeySchema: keySchema(i['KeySchema']),
    Projection: { ProjectionType: String(p['ProjectionType'] ?? 'ALL'), ...(p['NonKeyAttributes'] !== undefined ? { NonKeyAttributes: list<string>(p, 'NonKeyAttributes').map(String) } : {}) },
    ...(t ? { ProvisionedThroughput: t } : {}),
  };
}
const attributeDefinitions = (props: Properties) =>
  list<Spec>(props, 'AttributeDefinitions').map((a) => ({ AttributeName: String(a['AttributeName']), AttributeType: String(a['AttributeType']) }));
/** CloudFormation names a stream by its view type alone: a table with one has its stream on. */
function streamOf(props: Properties): { StreamEnabled: boolean; StreamViewType?: string } | undefined {
  const viewType = str(obj(props, 'StreamSpecification') ?? {}, 'StreamViewType');
  return viewType ? { StreamEnabled: true, StreamViewType: viewType } : undefined;
}
function sseOf(props: Properties) {
  const s = obj(props, 'SSESpecification');
  return s
    ? { Enabled: bool(s, 'SSEEnabled') ?? false, ...(str(s, 'SSEType') ? { SSEType: str(s, 'SSEType') } : {}), ...(str(s, 'KMSMasterKeyId') ? { KMSMasterKeyId: str(s, 'KMSMasterKeyId') } : {}) }
    : undefined;
}

async function attributes(ctx: ResourceContext, name: string) {
  const table = (await ctx.call('dynamodb', 'DescribeTable', { TableName: name }))['Table'] as { TableArn: string; LatestStreamArn?: string };
  return { physicalId: name, attributes: { Arn: table.TableArn, ...(table.LatestStreamArn ? { StreamArn: table.LatestStreamArn } : {}) } };
}

async function applyTtl(ctx: ResourceContext, name: string, props: Properties, previous: Properties | undefined): Promise<void> {
  const ttl = obj(props, 'TimeToLiveSpecification');
  const had = previous ? obj(previous, 'TimeToLiveSpecification') : undefined;
  if (ttl && bool(ttl, 'Enabled')) {
    if (!had || changed(ttl, had, 'AttributeName') || !bool(had, 'Enabled')) {
      await ctx.call('dynamodb', 'UpdateTimeToLive', { TableName: name, TimeToLiveSpecification: { AttributeName: str(ttl, 'AttributeName') ?? '', Enabled: true } });
    }
  } else if (had && bool(had, 'Enabled')) {
    await ctx.call('dynamodb', 'UpdateTimeToLive', { TableName: name, TimeToLiveSpecification: { AttributeName: str(had, 'AttributeName') ?? '', Enabled: false } });
  }
}

const table: ResourceProvider = {
  replaceOn: ['TableName', 'KeySchema', 'LocalSecondaryIndexes'],
  async create(props, ctx) {
    onlyKnown(TABLE, props, KNOWN);
    refuseUnserved(props);
    const name = str(props, 'TableName') ?? ctx.physicalName(255);
    const tags = tagsOf(props, ctx);
    const gsis = list<Spec>(props, 'GlobalSecondaryIndexes').map(index);
    const lsis = list<Spec>(props, 'LocalSecondaryIndexes').map(index);
    const t = throughput(obj(props, 'ProvisionedThroughput'));
    await ctx.call('dynamodb', 'CreateTable', {
      TableName: name,
      AttributeDefinitions: attributeDefinitions(props),
      KeySchema: keySchema(props['KeySchema']),
      BillingMode: str(props, 'BillingMode') ?? 'PROVISIONED',
      ...(t ? { ProvisionedThroughput: t } : {}),
      ...(gsis.length > 0 ? { GlobalSecondaryIndexes: gsis } : {}),
      ...(lsis.length > 0 ? { LocalSecondaryIndexes: lsis } : {}),
      ...(streamOf(props) ? { StreamSpecification: streamOf(props) } : {}),
      ...(sseOf(props) ? { SSESpecification: sseOf(props) } : {}),
      ...(tags.length > 0 ? { Tags: tags } : {}),
      ...(str(props, 'TableClass') ? { TableClass: str(props, 'TableClass') } : {}),
      ...(bool(props, 'DeletionProtectionEnabled') !== undefined ? { DeletionProtectionEnabled: bool(props, 'DeletionProtectionEnabled') } : {}),
    });
    return orUndo(
      async () => {
        await applyTtl(ctx, name, props, undefined);
        return attributes(ctx, name);
      },
      () => table.delete(name, props, ctx),
    );
  },
  async update(name, props, previous, ctx) {
    onlyKnown(TABLE, props, KNOWN);
    refuseUnserved(props);
    const update = (changes: Spec) => ctx.call('dynamodb', 'UpdateTable', { TableName: name, ...changes });
    if (changed(props, previous, 'BillingMode') || changed(props, previous, 'ProvisionedThroughput')) {
      const t = throughput(obj(props, 'ProvisionedThroughput'));
      await update({ BillingMode: str(props, 'BillingMode') ?? 'PROVISIONED', ...(t ? { ProvisionedThroughput: t } : {}) });
    }
    if (changed(props, previous, 'StreamSpecification')) {
      // A stream's view type cannot change in place: DynamoDB turns the old stream off first.
      if (streamOf(previous)) await update({ StreamSpecification: { StreamEnabled: false } });
      if (streamOf(props)) await update({ StreamSpecification: streamOf(props) });
    }
    const want = new Map(list<Spec>(props, 'GlobalSecondaryIndexes').map((i) => [String(i['IndexName']), i]));
    const had = new Map(list<Spec>(previous, 'GlobalSecondaryIndexes').map((i) => [String(i['IndexName']), i]));
    // One index change per UpdateTable, as DynamoDB allows.
    for (const n of had.keys()) if (!want.has(n)) await update({ GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: n } }] });
    for (const [n, i] of want) {
      const before = had.get(n);
      if (!before) await update({ AttributeDefinitions: attributeDefinitions(props), GlobalSecondaryIndexUpdates: [{ Create: index(i) }] });
      else if (JSON.stringify(index(before)) !== JSON.stringify(index(i))) {
        const { ProvisionedThroughput: _t, ...restBefore } = index(before);
        const { ProvisionedThroughput: t, ...rest } = index(i);
        if (JSON.stringify(restBefore) !== JSON.stringify(rest)) {
          // A changed key schema or projection is a new index under the same name.
          await update({ GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: n } }] });
          await update({ AttributeDefinitions: attributeDefinitions(props), GlobalSecondaryIndexUpdates: [{ Create: index(i) }] });
        } else if (t) await update({ GlobalSecondaryIndexUpdates: [{ Update: { IndexName: n, ProvisionedThroughput: t } }] });
      }
    }
    if (changed(props, previous, 'TableClass') && str(props, 'TableClass')) await update({ TableClass: str(props, 'TableClass') });
    if (changed(props, previous, 'SSESpecification')) await update({ SSESpecification: sseOf(props) ?? { Enabled: false } });
    if (changed(props, previous, 'DeletionProtectionEnabled')) await update({ DeletionProtectionEnabled: bool(props, 'DeletionProtectionEnabled') ?? false });
    await applyTtl(ctx, name, props, previous);
    const result = await attributes(ctx, name);
    const arn = result.attributes.Arn;
    await syncTags(ctx, props, previous, (Tags) => ctx.call('dynamodb', 'TagResource', { ResourceArn: arn, Tags }), (TagKeys) => ctx.call('dynamodb', 'UntagResource', { ResourceArn: arn, TagKeys }));
    return result;
  },
  async delete(name, _props, ctx) {
    await gone(ctx.call('dynamodb', 'DeleteTable', { TableName: name }), NOT_FOUND);
  },
};

export const dynamodbProviders: Record<string, ResourceProvider> = { [TABLE]: table };
