/** The Kinesis service binding (JSON 1.1); operations without a handler answer 501 NotImplemented. */
import type { ServiceBinding } from '../../api/service.js';
import { kinesisServiceModel } from '../../wire/model.js';
import { consumerHandlers } from './consumer-handlers.js';
import type { KinesisSystem } from './kinesis-system.js';
import { recordHandlers } from './record-handlers.js';
import { streamHandlers } from './stream-handlers.js';

export function kinesisBinding(kinesis: KinesisSystem): ServiceBinding {
  return { models: [kinesisServiceModel], handlers: { ...streamHandlers(kinesis), ...recordHandlers(kinesis), ...consumerHandlers(kinesis) } };
}
