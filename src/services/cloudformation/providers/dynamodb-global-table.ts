/**
 * AWS::DynamoDB::GlobalTable (Ref: the table name; GetAtt Arn, StreamArn, TableId), as CDK's
 * `TableV2` makes it. Selfless serves one region, so the table has one replica, in the stack's
 * region: it is made as the equivalent AWS::DynamoDB::Table, its replica's settings (tags, table
 * class, deletion protection, KMS key) applied to that table. Replicas elsewhere, provisioned
 * capacity with auto scaling and the other multi-region settings are refused, naming the property.
 */
import type { Properties, ResourceContext, ResourceProvider } from '../provider.js';
import { dynamodbProviders } from './dynamodb.js';
import { list, obj, onlyKnown, str, UnsupportedProperty } from './props.js';

const TYPE = 'AWS::DynamoDB::GlobalTable';
const KNOWN = ['TableName', 'AttributeDefinitions', 'KeySchema', 'BillingMode', 'GlobalSecondaryIndexes', 'LocalSecondaryIndexes', 'Replicas', 'SSESpecification', 'StreamSpecification', 'TimeToLiveSpecification'];
const REPLICA_KNOWN = ['Region', 'Tags', 'TableClass', 'DeletionProtectionEnabled', 'PointInTimeRecoverySpecification', 'ContributorInsightsSpecification', 'SSESpecification', 'GlobalSecondaryIndexes'];
const table = dynamodbProviders['AWS::DynamoDB::Table']!;
type Spec = Record<string, unknown>;

/** The AWS::DynamoDB::Table properties that make the same single-region table. */
function asTable(props: Properties, ctx: ResourceContext): Properties {
  onlyKnown(TYPE, props, KNOWN);
  if ((str(props, 'BillingMode') ?? 'PROVISIONED') !== 'PAY_PER_REQUEST') {
    throw new UnsupportedProperty(TYPE, 'BillingMode', 'provisioned capacity on a global table is set by auto scaling, which is not served; use PAY_PER_REQUEST.');
  }
  const replicas = list<Spec>(props, 'Replicas');
  const here = replicas.filter((r) => str(r, 'Region') === ctx.region);
  if (replicas.length !== 1 || here.length !== 1) {
    throw new UnsupportedProperty(TYPE, 'Replicas', `Selfless serves one region: give exactly one replica, in ${ctx.region}.`);
  }
  const replica = here[0]!;
  onlyKnown(`${TYPE} replica`, replica, REPLICA_KNOWN);
  for (const g of list<Spec>(replica, 'GlobalSecondaryIndexes')) {
    const insights = obj(g, 'ContributorInsightsSpecification');
    if (Object.keys(g).some((k) => k !== 'IndexName' && k !== 'ContributorInsightsSpecification') || (insights && insights['Enabled'] === true)) {
      throw new UnsupportedProperty(TYPE, 'Replicas.GlobalSecondaryIndexes', 'per-replica index settings are not served.');
    }
  }
  const sse = obj(props, 'SSESpecification');
  const kmsKey = str(obj(replica, 'SSESpecification') ?? {}, 'KMSMasterKeyId');
  const indexes = list<Spec>(props, 'GlobalSecondaryIndexes').map((g) => {
    const { WriteProvisionedThroughputSettings: _w, WriteOnDemandThroughputSettings: onDemand, WarmThroughput: warm, ...rest } = g;
    if (onDemand !== undefined || warm !== undefined) throw new UnsupportedProperty(TYPE, 'GlobalSecondaryIndexes', 'on-demand and warm throughput settings are not served.');
    return rest;
  });
  const out: Properties = {
    AttributeDefinitions: props['AttributeDefinitions'],
    KeySchema: props['KeySchema'],
    BillingMode: 'PAY_PER_REQUEST',
    ...(props['TableName'] !== undefined ? { TableName: props['TableName'] } : {}),
    ...(indexes.length > 0 ? { GlobalSecondaryIndexes: indexes } : {}),
    ...(props['LocalSecondaryIndexes'] !== undefined ? { LocalSecondaryIndexes: props['LocalSecondaryIndexes'] } : {}),
    ...(props['StreamSpecification'] !== undefined ? { StreamSpecification: props['StreamSpecification'] } : {}),
    ...(props['TimeToLiveSpecification'] !== undefined ? { TimeToLiveSpecification: props['TimeToLiveSpecification'] } : {}),
    ...(sse ? { SSESpecification: { ...sse, ...(kmsKey ? { KMSMasterKeyId: kmsKey } : {}) } } : {}),
  };
  for (const k of ['Tags', 'TableClass', 'DeletionProtectionEnabled', 'PointInTimeRecoverySpecification', 'ContributorInsightsSpecification']) {
    if (replica[k] !== undefined) out[k] = replica[k];
  }
  return out;
}

async function withTableId(ctx: ResourceContext, made: { physicalId: string; attributes: Readonly<Record<string, unknown>> }) {
  const t = (await ctx.call('dynamodb', 'DescribeTable', { TableName: made.physicalId }))['Table'] as { TableId: string };
  return { physicalId: made.physicalId, attributes: { ...made.attributes, TableId: t.TableId } };
}

const globalTable: ResourceProvider = {
  replaceOn: table.replaceOn,
  async create(props, ctx) {
    return withTableId(ctx, await table.create(asTable(props, ctx), ctx));
  },
  async update(name, props, previous, ctx) {
    return withTableId(ctx, await table.update(name, asTable(props, ctx), asTable(previous, ctx), ctx));
  },
  async delete(name, props, ctx) {
    await table.delete(name, props, ctx);
  },
};

export const dynamodbGlobalTableProviders: Record<string, ResourceProvider> = { [TYPE]: globalTable };
