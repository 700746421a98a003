/** A resource provider's context for tests: calls go to the platform's router in process, as the engine's do. */
import { randomInt } from 'node:crypto';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { Platform } from '../../src/main.js';
import type { ResourceContext } from '../../src/services/cloudformation/provider.js';

const CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

export interface ContextOptions {
  stackName?: string;
  stackTags?: Record<string, string>;
}

export function resourceContext(platform: Platform, logicalId: string, o: ContextOptions = {}): ResourceContext {
  const stackName = o.stackName ?? 'test-stack';
  const accountId = platform.config.accountId;
  const region = platform.config.region;
  return {
    stackName,
    stackId: `arn:aws:cloudformation:${region}:${accountId}:stack/${stackName}/00000000-0000-4000-8000-000000000000`,
    logicalId,
    region,
    accountId,
    stackTags: o.stackTags ?? {},
    call: (prefix, operation, input) => platform.router.call(prefix, operation, input),
    async readObject(Bucket, Key, VersionId) {
      const s3 = new S3Client({ endpoint: platform.url, region, forcePathStyle: true, credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
      try {
        const got = await s3.send(new GetObjectCommand({ Bucket, Key, ...(VersionId ? { VersionId } : {}) }));
        return Buffer.from(await got.Body!.transformToByteArray());
      } finally {
        s3.destroy();
      }
    },
    physicalName(maxLength = 128) {
      let suffix = '';
      for (let i = 0; i < 12; i++) suffix += CHARS[randomInt(CHARS.length)];
      // As CloudFormation: the stack name and logical id are shortened to fit, the random part kept.
      const room = Math.max(2, maxLength - suffix.length - 2);
      const stack = stackName.slice(0, Math.ceil(room / 2));
      const id = logicalId.slice(0, room - stack.length);
      return `${stack}-${id}-${suffix}`;
    },
  };
}
