/**
 * The SQS service binding: served over JSON, and over the query protocol for older clients (the
 * JS SDK v2 before 2.1491, boto3 before 1.34.90...), the same handlers behind both. SQS answers an
 * unknown attribute name with its own InvalidAttributeName error rather than a model validation
 * error, so the enums of attribute names are left to the queue service to check (which also lets
 * Selfless's extension attribute `ApproximateAgeOfOldestMessage` be asked for by name).
 */
import type { QueueSystem } from '../queue-system.js';
import { sqsQueryServiceModel, sqsServiceModel, type ServiceModel } from '../../../wire/model.js';
import type { ServiceBinding } from '../../../api/service.js';
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

const models = [withoutAttributeNameEnums(sqsServiceModel), withoutAttributeNameEnums(sqsQueryServiceModel)];

export function sqsBinding(queues: QueueSystem, accountId: string): ServiceBinding {
  return { models, handlers: { ...queueHandlers(queues), ...messageHandlers(queues, accountId) } };
}
