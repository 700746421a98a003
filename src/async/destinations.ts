/**
 * Where the outcome of an asynchronous invocation goes: an SQS queue of the built-in queue service
 * or another function (invoked asynchronously, as Lambda does), with Lambda's invocation record;
 * and the function's dead-letter queue, which gets the original event.
 */
import type { FunctionService } from '../functions/function-service.js';
import type { Logger } from '../lib/logger.js';
import type { MessageAttributes } from '../services/sqs/model.js';
import type { QueueSystem } from '../services/sqs/queue-system.js';
import { parseFunctionRef, type Account, type FunctionRef } from '../wire/arn.js';
import { Errors, isResourceNotFound } from '../wire/errors.js';

export type Destination = { kind: 'queue'; arn: string } | { kind: 'function'; arn: string; ref: FunctionRef };

/** Parses a destination ARN, refusing what Selfless cannot deliver to (SNS, EventBridge, S3, other accounts). */
export function parseDestination(arn: string, account: Account): Destination {
  const parts = arn.split(':');
  const service = parts[0] === 'arn' ? parts[2] : undefined;
  if (service === 'sqs' && parts.length === 6) {
    if (parts[3] !== account.region || parts[4] !== account.accountId) throw foreign(arn, account);
    return { kind: 'queue', arn };
  }
  if (service === 'lambda') {
    if (parts[3] !== account.region || parts[4] !== account.accountId) throw foreign(arn, account);
    try {
      return { kind: 'function', arn, ref: parseFunctionRef(account, arn) };
    } catch {
      throw Errors.invalidParameter(`The destination ARN ${arn} is not a valid Lambda function ARN.`);
    }
  }
  throw Errors.invalidParameter(
    `The destination ARN ${arn} is not supported: Selfless delivers to SQS queues (arn:aws:sqs:...) and Lambda functions (arn:aws:lambda:...).`,
  );
}

const foreign = (arn: string, a: Account) =>
  Errors.invalidParameter(`The destination ARN ${arn} is not in this account and region (${a.accountId}, ${a.region}).`);

/** Sender id on messages Lambda itself sends, as SQS shows SenderId. */
const LAMBDA_SENDER = 'AROASELFLESSLAMBDASERVICE:selfless-async-invoke';

export interface DeadLetter {
  requestId: string;
  /** Three-digit status: 200 for a function error, 429 when throttled until expiry, 500 for the platform. */
  errorCode: number;
  errorMessage: string;
}

export class Destinations {
  constructor(
    private readonly queues: QueueSystem,
    private readonly functions: FunctionService,
    private readonly account: Account,
    /** Queues an Event invoke of a destination function. */
    private readonly invokeAsync: (ref: FunctionRef, payload: Buffer) => Promise<unknown>,
    private readonly logger: Logger,
  ) {}

  /** Checks that a destination can receive records: a standard queue or a function that exists. */
  async check(arn: string): Promise<void> {
    const d = parseDestination(arn, this.account);
    if (d.kind === 'queue') {
      const queue = await this.queues.queues.byArn(arn);
      if (!queue) throw Errors.invalidParameter(`The destination queue ${arn} does not exist.`);
      if (queue.settings.fifoQueue) throw Errors.invalidParameter(`The destination queue ${arn} is a FIFO queue; Lambda sends only to standard queues.`);
      return;
    }
    await this.functions.get(d.ref.name).catch((err: unknown) => {
      if (isResourceNotFound(err)) {
        throw Errors.invalidParameter(`The destination function ${arn} does not exist.`);
      }
      throw err;
    });
  }

  /** Sends an invocation record; failures are logged, never thrown: the event's outcome stands. */
  async deliver(arn: string, record: unknown): Promise<boolean> {
    const body = JSON.stringify(record);
    try {
      const d = parseDestination(arn, this.account);
      if (d.kind === 'function') await this.invokeAsync(d.ref, Buffer.from(body));
      else await this.sendToQueue(arn, body, {});
      return true;
    } catch (err) {
      this.logger.warn('async destination delivery failed', { destination: arn, error: (err as Error).message });
      return false;
    }
  }

  /** Sends the original event to a dead-letter queue with Lambda's message attributes. */
  async deadLetter(arn: string, payload: Buffer, d: DeadLetter): Promise<boolean> {
    try {
      await this.sendToQueue(arn, payload.length === 0 ? '{}' : payload.toString('utf8'), {
        RequestID: { dataType: 'String', stringValue: d.requestId },
        ErrorCode: { dataType: 'Number', stringValue: String(d.errorCode) },
        ErrorMessage: { dataType: 'String', stringValue: truncate(d.errorMessage || 'unknown error', 1024) },
      });
      return true;
    } catch (err) {
      this.logger.warn('dead-letter delivery failed', { deadLetterTargetArn: arn, requestId: d.requestId, error: (err as Error).message });
      return false;
    }
  }

  private async sendToQueue(arn: string, body: string, attributes: MessageAttributes): Promise<void> {
    const queue = await this.queues.queues.byArn(arn);
    if (!queue) throw new Error(`queue ${arn} does not exist`);
    const [outcome] = await this.queues.messages.send(this.queues.queues.url(queue.name), [{ body, attributes, systemAttributes: {} }], LAMBDA_SENDER);
    if (outcome && !outcome.ok) throw outcome.error;
  }
}

function truncate(s: string, maxBytes: number): string {
  const b = Buffer.from(s, 'utf8');
  return b.length <= maxBytes ? s : b.subarray(0, maxBytes).toString('utf8').replace(/\uFFFD$/, '');
}

/** DeadLetterConfig.TargetArn: Lambda takes an SQS queue or SNS topic; Selfless delivers to its own queues. */
export function checkDeadLetterTarget(arn: string, account: Account): void {
  const d = parseDestination(arn, account);
  if (d.kind !== 'queue') {
    throw Errors.invalidParameter(`The dead-letter target ${arn} is not supported: Selfless sends dead letters to SQS queues (arn:aws:sqs:...).`);
  }
}
