/** DynamoDB's item operations: parse, call the item services, render items (binaries in base64). */
import type { DynamoDbSystem } from '../system.js';
import { digestOf, type TransactWrite } from '../transactions.js';
import { itemToJson, type Item } from '../values.js';
import type { WriteSpec } from '../write-plan.js';
import { ProtocolErrors } from '../../../wire/errors.js';
import { typedHandlers, type Input, type OperationHandler } from '../../../api/service.js';
import type { DynamodbInputs, PutItemInput } from '../../../wire/inputs/dynamodb.js';

type AttributeMap = Record<string, unknown>;
type Names = Record<string, string> | undefined;

/** Pre-expression parameters, which Selfless does not serve: a clear 501 rather than a silent ignore. */
const LEGACY = ['Expected', 'ConditionalOperator', 'AttributesToGet', 'AttributeUpdates', 'KeyConditions', 'QueryFilter', 'ScanFilter'];

export function refuseLegacy(operation: string, input: Input): void {
  for (const p of LEGACY) if (input[p] !== undefined) throw ProtocolErrors.notImplemented(`${operation} with the legacy parameter ${p}`);
}

const out = (item: Item | undefined) => (item ? itemToJson(item) : undefined);

const expressions = (i: Input) => ({
  condition: i['ConditionExpression'] as string | undefined,
  names: i['ExpressionAttributeNames'] as Names,
  values: i['ExpressionAttributeValues'] as AttributeMap | undefined,
});

const read = (i: Input) => ({ projection: i['ProjectionExpression'] as string | undefined, names: i['ExpressionAttributeNames'] as Names });

export function itemHandlers({ items, transactions }: DynamoDbSystem): Record<string, OperationHandler> {
  const write = async (op: string, input: Pick<PutItemInput, 'TableName' | 'ReturnValues' | 'ReturnValuesOnConditionCheckFailure'>, spec: WriteSpec) => {
    refuseLegacy(op, input);
    const attributes = await items.write(input.TableName, spec, {
      returnValues: input.ReturnValues,
      returnOnFailure: input.ReturnValuesOnConditionCheckFailure,
    });
    return attributes ? { Attributes: out(attributes) } : {};
  };

  return typedHandlers<DynamodbInputs>({
    PutItem: (input) => write('PutItem', input, { kind: 'put', item: input.Item, ...expressions(input) }),
    DeleteItem: (input) => write('DeleteItem', input, { kind: 'delete', key: input.Key, ...expressions(input) }),
    UpdateItem: (input) =>
      write('UpdateItem', input, { kind: 'update', key: input.Key, update: input.UpdateExpression, ...expressions(input) }),

    async GetItem(input) {
      refuseLegacy('GetItem', input);
      const item = await items.get(input.TableName, input.Key, read(input));
      return item ? { Item: out(item) } : {};
    },

    async BatchGetItem(input) {
      const requests = Object.entries(input.RequestItems).map(([table, r]) => {
        refuseLegacy('BatchGetItem', r);
        return { table, keys: r['Keys'] as AttributeMap[], read: read(r) };
      });
      const found = await items.batchGet(requests);
      return { Responses: Object.fromEntries([...found].map(([t, list]) => [t, list.map(itemToJson)])), UnprocessedKeys: {} };
    },

    async BatchWriteItem(input) {
      const requests = Object.entries(input.RequestItems).flatMap(([table, list]) =>
        list.map((r) => {
          const put = r['PutRequest'] as { Item: AttributeMap } | undefined;
          const del = r['DeleteRequest'] as { Key: AttributeMap } | undefined;
          return put ? { table, put: put.Item } : { table, deleteKey: del!.Key };
        }),
      );
      await items.batchWrite(requests);
      return { UnprocessedItems: {} };
    },

    async TransactWriteItems(input) {
      const list = input.TransactItems.map((entry): TransactWrite => {
        const [kind, body] = Object.entries(entry)[0] as [string, Input];
        const table = body['TableName'] as string;
        const returnOnFailure = body['ReturnValuesOnConditionCheckFailure'] as 'ALL_OLD' | 'NONE' | undefined;
        const e = expressions(body);
        const key = body['Key'] as AttributeMap;
        const spec: WriteSpec =
          kind === 'Put'
            ? { kind: 'put', item: body['Item'] as AttributeMap, ...e }
            : kind === 'Update'
              ? { kind: 'update', key, update: body['UpdateExpression'] as string, ...e }
              : kind === 'Delete'
                ? { kind: 'delete', key, ...e }
                : { kind: 'check', key, ...e };
        return { table, spec, returnOnFailure };
      });
      await transactions.write(list, input.ClientRequestToken, digestOf(input['TransactItems']));
      return {};
    },

    async TransactGetItems(input) {
      const gets = input.TransactItems.map(({ Get }) => ({ table: Get['TableName'] as string, key: Get['Key'] as AttributeMap, read: read(Get) }));
      const found = await transactions.get(gets);
      return { Responses: found.map((item) => (item ? { Item: itemToJson(item) } : {})) };
    },
  });
}
