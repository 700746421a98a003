/** S3's services over the store's metadata and blobs; notifications go to the given sinks. */
import type { Clock } from '../../lib/clock.js';
import type { Logger } from '../../lib/logger.js';
import type { S3Repo } from '../../storage/store.js';
import type { BlobStore } from './blobs.js';
import { BucketService } from './bucket-service.js';
import { MultipartService } from './multipart-service.js';
import { Notifier, type NotificationSinks } from './notifier.js';
import { ObjectService } from './object-service.js';
import { LifecycleSweeper } from './lifecycle.js';

export interface S3SystemDeps {
  repo: S3Repo;
  blobs: BlobStore;
  clock: Clock;
  logger: Logger;
  region: string;
  sinks: NotificationSinks;
}

export function createS3System(d: S3SystemDeps) {
  const { blobs } = d;
  const buckets = new BucketService(d.repo, d.clock, d.region);
  const notifier = new Notifier(d.repo, buckets, d.sinks, d.clock, d.logger);
  const objects = new ObjectService(d.repo, blobs, buckets, d.clock, d.logger, notifier);
  const uploads = new MultipartService(d.repo, blobs, buckets, objects, d.clock);
  const lifecycle = new LifecycleSweeper(d.repo, objects, uploads, d.clock, d.logger);
  return { blobs, buckets, objects, uploads, notifier, lifecycle };
}

export type S3System = ReturnType<typeof createS3System>;
