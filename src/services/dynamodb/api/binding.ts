/** DynamoDB and DynamoDB Streams (both JSON 1.0), over one set of DynamoDB services. */
import type { DynamoDbSystem } from '../system.js';
import type { Account } from '../../../wire/arn.js';
import { dynamodbServiceModel, dynamodbStreamsServiceModel } from '../../../wire/model.js';
import type { ServiceBinding } from '../../../api/service.js';
import { itemHandlers } from './items.js';
import { partiqlHandlers } from './partiql.js';
import { readHandlers } from './reads.js';
import { streamHandlers } from './streams.js';
import { tableHandlers } from './tables.js';

export function dynamodbBindings(system: DynamoDbSystem, account: Account): ServiceBinding[] {
  return [
    { models: [dynamodbServiceModel], handlers: { ...tableHandlers(system), ...itemHandlers(system), ...readHandlers(system), ...partiqlHandlers(system) } },
    { models: [dynamodbStreamsServiceModel], handlers: streamHandlers(system, account) },
  ];
}
