/**
 * The SQS service binding for the HTTP server. SQS answers an unknown attribute name with its own
 * InvalidAttributeName error rather than a model validation error, so the enums of attribute
 * names are left to the queue service to check (which also lets Selfless's extension attribute
 * `ApproximateAgeOfOldestMessage` be asked for by name).
 */
import type { QueueSystem } from '../../queues/queue-system.js';
import { sqsServiceModel, type ServiceModel } from '../../wire/model.js';
import type { ServiceBinding } from '../http-server.js';
import { messageHandlers } from './messages.js';
import { queueHandlers } from './queues.js';

const CHECKED_BY_SERVICE = ['QueueAttributeName', 'MessageSystemAttributeName'];

function withoutAttributeNameEnums(model: ServiceModel): ServiceModel {
  const shapes = { ...model.shapes };
  for (const name of CHECKED_BY_SERVICE) {
    const { enum: _dropped, ...rest } = shapes[name]!;
    shapes[name] = rest;
  }
  return { ...model, shapes };
}

const model = withoutAttributeNameEnums(sqsServiceModel);

export function sqsBinding(queues: QueueSystem, accountId: string): ServiceBinding {
  return { model, handlers: { ...queueHandlers(queues), ...messageHandlers(queues, accountId) } };
}
