/**
 * A resource type's provider: how CloudFormation creates, updates and deletes one resource of that
 * type. Providers reach the services through the same operation handlers clients call (the
 * `call` below is the router's in-process call), so a resource made by a stack is exactly what the
 * API would have made. Properties arrive with every intrinsic function already resolved.
 */
import type { Input } from '../../api/service.js';

export type Properties = Record<string, unknown>;

/** What a provider knows of the stack and the resource it works on. */
export interface ResourceContext {
  stackName: string;
  stackId: string;
  logicalId: string;
  /** The resource's type (`Custom::Thing`): one provider may serve several types. Optional for callers built before it. */
  resourceType?: string;
  region: string;
  accountId: string;
  /** The stack's tags, to propagate to resources that take tags, as CloudFormation does. */
  stackTags: Readonly<Record<string, string>>;
  /** An AWS operation, served in process: `call('sqs', 'CreateQueue', { QueueName })`. */
  call(endpointPrefix: string, operation: string, input: Input): Promise<Input>;
  /** An object of this server's S3 (`BodyS3Location`, `DefinitionUri`), at a version if given. */
  readObject(bucket: string, key: string, versionId?: string): Promise<Buffer>;
  /** A name for a resource whose name property is absent: `<stack>-<logicalId>-<RANDOM>`, within `maxLength`. */
  physicalName(maxLength?: number): string;
}

export interface Provisioned {
  /** The physical id (what `Ref` returns unless `ref` says otherwise). */
  physicalId: string;
  /** `Ref`'s value when it is not the physical id. */
  ref?: string;
  /** `Fn::GetAtt` values by attribute name (`Arn`, `QueueName`...). */
  attributes: Readonly<Record<string, unknown>>;
  /** The attributes are secret: shown masked where the API displays them (a custom resource's NoEcho). Optional. */
  noEcho?: boolean;
}

export interface ResourceProvider {
  /**
   * Top-level properties whose change replaces the resource (the type's "Update requires:
   * Replacement"); a change to any other property updates in place.
   */
  readonly replaceOn: readonly string[];
  create(props: Properties, ctx: ResourceContext): Promise<Provisioned>;
  update(physicalId: string, props: Properties, previous: Properties, ctx: ResourceContext): Promise<Provisioned>;
  /** Deleting what is already gone succeeds, as CloudFormation's delete of a missing resource does. */
  delete(physicalId: string, props: Properties, ctx: ResourceContext): Promise<void>;
}

/** Providers by resource type (`AWS::SQS::Queue`); a type absent here fails its stack, naming the type. */
export type ProviderRegistry = ReadonlyMap<string, ResourceProvider>;
