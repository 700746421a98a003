/** S3's services over one store and the blobs in the data dir. */
import { join } from 'node:path';
import type { Clock } from '../../lib/clock.js';
import type { Logger } from '../../lib/logger.js';
import type { S3Repo } from '../../storage/store.js';
import { BucketService } from './bucket-service.js';
import { DiskBlobStore } from './disk-blobs.js';
import { MultipartService } from './multipart-service.js';
import { ObjectService } from './object-service.js';

export function createS3System(repo: S3Repo, dataDir: string, clock: Clock, logger: Logger, region: string) {
  const blobs = new DiskBlobStore(join(dataDir, 's3'));
  const buckets = new BucketService(repo, clock, region);
  const objects = new ObjectService(repo, blobs, buckets, clock, logger);
  const uploads = new MultipartService(repo, blobs, buckets, objects, clock);
  return { blobs, buckets, objects, uploads };
}
