/** S3 over rest-xml: its model and a handler per served operation; the rest answer 501. */
import type { BucketService } from '../bucket-service.js';
import type { MultipartService } from '../multipart-service.js';
import type { Notifier } from '../notifier.js';
import type { ObjectService } from '../object-service.js';
import { s3ServiceModel } from '../../../wire/model.js';
import type { ServiceBinding } from '../../../api/service.js';
import type { Clock } from '../../../lib/clock.js';
import type { Authenticator } from '../../../security/authenticator.js';
import { browserRoutes } from './browser.js';
import { bucketConfigHandlers } from './bucket-config.js';
import { bucketHandlers } from './buckets.js';
import { lifecycleHandlers } from './lifecycle.js';
import { multipartHandlers } from './multipart.js';
import { notificationHandlers } from './notifications.js';
import { objectHandlers } from './objects.js';

export interface S3Services {
  buckets: BucketService;
  objects: ObjectService;
  uploads: MultipartService;
  notifier: Notifier;
}

/** `authenticator` checks POST uploads' policy signatures; `clock` their expiration. */
export function s3Binding(s3: S3Services, web: { authenticator: Authenticator; clock: Clock }): ServiceBinding {
  return {
    browser: browserRoutes({ buckets: s3.buckets, objects: s3.objects, ...web }),
    models: [s3ServiceModel],
    handlers: { ...bucketHandlers(s3.buckets), ...bucketConfigHandlers(s3.buckets), ...lifecycleHandlers(s3.buckets), ...objectHandlers(s3.objects), ...multipartHandlers(s3.uploads), ...notificationHandlers(s3.notifier) },
  };
}
