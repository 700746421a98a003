/** PartiQL: ExecuteStatement, BatchExecuteStatement, ExecuteTransaction. */
import { toToken, type StatementOptions } from '../partiql/statements.js';
import type { DynamoDbSystem } from '../system.js';
import { digestOf } from '../transactions.js';
import { itemToJson } from '../values.js';
import { typedHandlers, type Input, type OperationHandler } from '../../../api/service.js';
import type { DynamodbInputs } from '../../../wire/inputs/dynamodb.js';

const options = (i: Input): { statement: string } & StatementOptions => ({
  statement: i['Statement'] as string,
  parameters: i['Parameters'] as unknown[] | undefined,
  consistentRead: i['ConsistentRead'] as boolean | undefined,
  returnOnFailure: i['ReturnValuesOnConditionCheckFailure'] as 'ALL_OLD' | 'NONE' | undefined,
});

export function partiqlHandlers({ partiql }: DynamoDbSystem): Record<string, OperationHandler> {
  return typedHandlers<DynamodbInputs>({
    async ExecuteStatement(input) {
      const o = options(input);
      const r = await partiql.execute(o.statement, { ...o, limit: input.Limit, nextToken: input.NextToken});
      return {
        Items: r.items.map(itemToJson),
        ...(r.lastKey ? { NextToken: toToken(r.lastKey), LastEvaluatedKey: itemToJson(r.lastKey) } : {}),
      };
    },

    async BatchExecuteStatement(input) {
      const results = await partiql.batch(input.Statements.map(options));
      return {
        Responses: results.map((r) => ({
          ...(r.table !== undefined ? { TableName: r.table } : {}),
          ...(r.item ? { Item: itemToJson(r.item) } : {}),
          ...(r.error ? { Error: { Code: r.error.code, Message: r.error.message, ...(r.error.item ? { Item: itemToJson(r.error.item) } : {}) } } : {}),
        })),
      };
    },

    async ExecuteTransaction(input) {
      const statements = input.TransactStatements.map(options);
      const found = await partiql.transaction(statements, input.ClientRequestToken, digestOf(input['TransactStatements']));
      return found ? { Responses: found.map((item) => (item ? { Item: itemToJson(item) } : {})) } : {};
    },
  });
}
