/**
 * What the mapping service needs from each kind of event source (a queue, a stream): whether an ARN
 * is one, that it exists, the defaults and limits of its settings, and a poller for a mapping.
 */
import type { EventSourceMapping, MappingSettings } from './model.js';
import type { EventSourcePoller, PollerContext } from './poller.js';

export interface EventSourceKind {
  /** As Lambda names the source in its messages ("SQS", "Kinesis", "DynamoDB"). */
  readonly label: string;
  claims(arn: string): boolean;
  /** Throws Lambda's error when the source does not exist. */
  check(arn: string): Promise<void>;
  /**
   * Whether a mapping's poller runs on one node of a fleet at a time, the one holding its lease (a
   * stream: each shard's checkpoint has one writer), or on every node (a queue: each receive takes
   * its messages once).
   */
  readonly pollsOnOneNode: boolean;
  /** Request members Lambda refuses for this kind (wire names). */
  readonly refusedMembers: readonly string[];
  /** Settings a new mapping has unless the request sets them. */
  defaults(): Omit<MappingSettings, 'enabled' | 'filters'>;
  /** Throws Lambda's error for settings the source does not allow. */
  validate(settings: MappingSettings, arn: string): Promise<void>;
  poller(mapping: EventSourceMapping, ctx: PollerContext): Promise<EventSourcePoller>;
  /** Forgets what the source kept for a deleted mapping (stream checkpoints). */
  forget(uuid: string): Promise<void>;
}
