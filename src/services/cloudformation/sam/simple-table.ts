/** AWS::Serverless::SimpleTable → an on-demand (unless ProvisionedThroughput) DynamoDB table with one hash key. */
import { invalidResource } from './errors.js';
import { isObject, type Json, type JsonObject } from './intrinsics.js';
import { cfn, ownAttributes, tagList, type SamResource } from './model.js';
import type { Emitted } from './translation.js';

const KNOWN = ['PointInTimeRecoverySpecification', 'PrimaryKey', 'ProvisionedThroughput', 'TableName', 'Tags', 'SSESpecification'];
const TYPES: Record<string, string> = { String: 'S', Number: 'N', Binary: 'B' };

export function translateSimpleTable(sam: SamResource): Emitted {
  const { logicalId: id, properties: p, raw } = sam;
  for (const k of Object.keys(p)) {
    if (!KNOWN.includes(k)) throw invalidResource(id, `property ${k} not defined for resource of type AWS::Serverless::SimpleTable`);
  }
  let key: JsonObject = { AttributeName: 'id', AttributeType: 'S' };
  if (isObject(p['PrimaryKey']) && Object.keys(p['PrimaryKey']).length > 0) {
    const name = p['PrimaryKey']['Name'];
    const type = p['PrimaryKey']['Type'];
    if (name === undefined || name === null) throw invalidResource(id, "Property 'PrimaryKey.Name' is required.");
    if (type === undefined || type === null) throw invalidResource(id, "Property 'PrimaryKey.Type' is required.");
    const converted = typeof type === 'string' ? TYPES[type] : undefined;
    if (!converted) throw invalidResource(id, `Invalid 'Type' "${String(type)}".`);
    key = { AttributeName: name, AttributeType: converted };
  }
  const truthy = (v: Json | undefined): Json | undefined => (v && !(isObject(v) && Object.keys(v).length === 0) ? v : undefined);
  const table = cfn(
    'AWS::DynamoDB::Table',
    {
      AttributeDefinitions: [key],
      KeySchema: [{ AttributeName: key['AttributeName']!, KeyType: 'HASH' }],
      PointInTimeRecoverySpecification: truthy(p['PointInTimeRecoverySpecification']),
      ProvisionedThroughput: truthy(p['ProvisionedThroughput']),
      BillingMode: truthy(p['ProvisionedThroughput']) ? undefined : 'PAY_PER_REQUEST',
      SSESpecification: truthy(p['SSESpecification']),
      TableName: p['TableName'] || undefined,
      Tags: isObject(p['Tags']) && Object.keys(p['Tags']).length > 0 ? tagList(p['Tags']) : undefined,
    },
    ownAttributes(raw),
  );
  return [[id, table]];
}
