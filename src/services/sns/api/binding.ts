/** The SNS service binding (query protocol); operations without a handler answer 501 NotImplemented. */
import type { SnsSystem } from '../sns-system.js';
import { snsServiceModel } from '../../../wire/model.js';
import type { ServiceBinding } from '../../../api/service.js';
import { publishHandlers } from './publish.js';
import { subscriptionHandlers } from './subscriptions.js';
import { topicHandlers } from './topics.js';

export function snsBinding(sns: SnsSystem, accountId: string): ServiceBinding {
  return {
    models: [snsServiceModel],
    handlers: { ...topicHandlers(sns), ...subscriptionHandlers(sns, accountId), ...publishHandlers(sns) },
  };
}
