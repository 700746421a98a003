/**
 * CloudFormation put together: the engine (journal, providers, background operations), the stack
 * and change set services, and the S3 access it needs (templates by URL, custom resource responses).
 */
import type { Input } from '../../api/service.js';
import type { Clock } from '../../lib/clock.js';
import type { Logger } from '../../lib/logger.js';
import type { CloudFormationRepo } from '../../storage/cloudformation-repo.js';
import { S3Errors } from '../../wire/errors/s3.js';
import { ChangeSets } from './change-sets.js';
import type { EngineDeps } from './engine/apply.js';
import { referenceLookups } from './engine/dynamic-refs.js';
import { Journal } from './engine/journal.js';
import { StackOperations } from './engine/operations.js';
import type { Signer } from './engine/response-url.js';
import type { ResourceProvider } from './provider.js';
import { customResourceProvider } from './providers/custom-resource.js';
import { providerFor, providerRegistry } from './providers/index.js';
import { nestedStackProvider } from './providers/nested-stack.js';
import { Stacks } from './stacks.js';

/** The S3 a stack reads templates from and custom resources answer into. */
export interface BucketAccess {
  /** An object's bytes; rejects when it does not exist. */
  read(bucket: string, key: string, versionId?: string): Promise<Buffer>;
  /** Creates the bucket unless it exists. */
  ensureBucket(bucket: string): Promise<void>;
  remove(bucket: string, key: string): Promise<void>;
}

export interface CloudFormationDeps {
  repo: CloudFormationRepo;
  clock: Clock;
  logger: Logger;
  account: { region: string; accountId: string };
  serverUrl(): string;
  /** The router's in-process call (late-bound: the router is made after this system). */
  call(endpointPrefix: string, operation: string, input: Input): Promise<Input>;
  buckets: BucketAccess;
  /** Credentials the server signs custom resources' response URLs with (ones its authenticator accepts). */
  signer: Signer;
  /** How long a custom resource may take to answer: CloudFormation waits an hour. */
  customResourceTimeoutMs?: number;
  /** Resources worked on at once in one stack. */
  concurrency?: number;
  /** More providers (tests). */
  providers?: readonly Readonly<Record<string, ResourceProvider>>[];
}

export type CloudFormationSystem = ReturnType<typeof createCloudFormationSystem>;

export function createCloudFormationSystem(d: CloudFormationDeps) {
  const journal = new Journal(d.repo, d.clock);
  const responseBucket = `selfless-cfn-responses-${d.account.accountId}`;
  const engineProviders: Record<string, ResourceProvider> = {};
  // Nested stacks and custom resources need the services below: the registry is made once they are.
  let registry = providerRegistry(...(d.providers ?? []));
  const engine: EngineDeps = {
    journal,
    providerFor: (type) => providerFor(registry, type),
    account: d.account,
    call: d.call,
    readObject: (bucket, key, versionId) => d.buckets.read(bucket, key, versionId),
    lookups: referenceLookups(d.call),
    concurrency: d.concurrency ?? 4,
  };
  const operations = new StackOperations(engine, d.logger);
  const stacks = new Stacks({ repo: d.repo, journal, engine, operations, clock: d.clock, account: d.account, serverUrl: d.serverUrl, readObject: (b, k) => d.buckets.read(b, k) });
  const changeSets = new ChangeSets(stacks, d.logger);
  engineProviders['AWS::CloudFormation::Stack'] = nestedStackProvider(stacks, operations);
  engineProviders['AWS::CloudFormation::CustomResource'] = customResourceProvider({
    clock: d.clock,
    serverUrl: d.serverUrl,
    credentials: d.signer,
    bucket: responseBucket,
    ensureBucket: () => d.buckets.ensureBucket(responseBucket),
    readIfPresent: (bucket, key) =>
      d.buckets.read(bucket, key).catch((err: unknown) => {
        if ((err as { kind?: unknown })?.kind === S3Errors.noSuchKey.kind) return undefined;
        throw err;
      }),
    remove: (bucket, key) => d.buckets.remove(bucket, key),
    timeoutMs: d.customResourceTimeoutMs ?? 3_600_000,
    pollMs: 500,
  });
  registry = providerRegistry(...(d.providers ?? []), engineProviders);
  return {
    stacks,
    changeSets,
    operations,
    /** Takes up the operations a previous server left under way. */
    start: async () => {
      await changeSets.failInterrupted();
      await operations.resumeAll();
    },
    stop: async (graceMs: number) => {
      await changeSets.drain();
      await operations.stop(graceMs);
    },
  };
}
