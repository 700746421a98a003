/**
 * What the stream adapters (Kinesis, DynamoDB Streams) share: which ARNs are theirs (the ARN's service
 * and a marker in its resource) and Lambda's error for a stream that does not exist.
 */
import { Errors } from '../wire/errors.js';
import type { ShardedStream, StreamAdapter } from './sharded-stream.js';

export interface StreamKind {
  readonly label: string;
  /** The key of the batch description in an on-failure record. */
  readonly batchInfoKey: string;
  readonly allowsTimestamp: boolean;
  /** The ARN's service, and what its resource part contains (`:stream/`, `/stream/`). */
  readonly service: string;
  readonly marker: string;
}

export abstract class BaseStreamAdapter implements StreamAdapter {
  readonly label: string;
  readonly batchInfoKey: string;
  readonly allowsTimestamp: boolean;

  constructor(private readonly kind: StreamKind) {
    this.label = kind.label;
    this.batchInfoKey = kind.batchInfoKey;
    this.allowsTimestamp = kind.allowsTimestamp;
  }

  claims(arn: string): boolean {
    return arn.split(':')[2] === this.kind.service && arn.includes(this.kind.marker);
  }

  async check(arn: string): Promise<void> {
    if (!(await this.exists(arn))) throw Errors.invalidParameter(`Stream not found: ${arn}`);
  }

  protected abstract exists(arn: string): Promise<boolean>;
  abstract open(arn: string): ShardedStream;
}
