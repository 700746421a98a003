/** Query and Scan. */
import type { ReadResult, Select } from '../queries.js';
import type { DynamoDbSystem } from '../system.js';
import { itemToJson } from '../values.js';
import { typedHandlers, type Input, type OperationHandler } from '../../../api/service.js';
import { refuseLegacy } from './items.js';
import type { DynamodbInputs } from '../../../wire/inputs/dynamodb.js';

const common = (i: Input) => ({
  table: i['TableName'] as string,
  index: i['IndexName'] as string | undefined,
  filter: i['FilterExpression'] as string | undefined,
  projection: i['ProjectionExpression'] as string | undefined,
  names: i['ExpressionAttributeNames'] as Record<string, string> | undefined,
  values: i['ExpressionAttributeValues'] as Record<string, unknown> | undefined,
  limit: i['Limit'] as number | undefined,
  select: i['Select'] as Select | undefined,
  consistentRead: i['ConsistentRead'] as boolean | undefined,
  exclusiveStartKey: i['ExclusiveStartKey'] as Record<string, unknown> | undefined,
});

function render(r: ReadResult, select: Select | undefined): Input {
  return {
    ...(select === 'COUNT' ? {} : { Items: r.items.map(itemToJson) }),
    Count: r.count,
    ScannedCount: r.scanned,
    ...(r.lastKey ? { LastEvaluatedKey: itemToJson(r.lastKey) } : {}),
  };
}

export function readHandlers({ queries }: DynamoDbSystem): Record<string, OperationHandler> {
  return typedHandlers<DynamodbInputs>({
    async Query(input) {
      refuseLegacy('Query', input);
      const spec = Object.assign(common(input), { keyCondition: input.KeyConditionExpression, forward: input.ScanIndexForward });
      return render(await queries.query(spec), spec.select);
    },
    async Scan(input) {
      refuseLegacy('Scan', input);
      const spec = Object.assign(common(input), { segment: input.Segment, totalSegments: input.TotalSegments });
      return render(await queries.scan(spec), spec.select);
    },
  });
}
