/**
 * Scheduler's universal targets: `arn:aws:scheduler:::aws-sdk:<service>:<apiAction>` with the request
 * as the Input JSON. The operation runs in process, through the same handler and model check a client
 * reaches, for the services this server serves. Scheduler refuses read-only actions by their prefix.
 */
import { DeliveryError, type TargetSender } from '../events/target-delivery.js';
import { isThrottled } from '../../wire/errors.js';
import { AwsError } from '../../wire/errors/core.js';

/** Calls an operation of a served service by its endpoint prefix (the router's `call`). */
export type CallApi = (endpointPrefix: string, operation: string, input: Record<string, unknown>) => Promise<unknown>;

export interface UniversalTarget {
  /** The SDK service identifier the ARN names. */
  service: string;
  /** The router's endpoint prefix for it. */
  endpointPrefix: string;
  /** The operation's model name (sendMessage becomes SendMessage). */
  operation: string;
}

/** SDK service identifiers that differ from the endpoint prefix, among the services Selfless serves. */
const PREFIX_OF: Readonly<Record<string, string>> = { eventbridge: 'events', cloudwatch: 'monitoring', cloudwatchlogs: 'logs' };

/** Scheduler's list of read-only action prefixes, which it does not run. */
const READ_ONLY = ['get', 'describe', 'list', 'poll', 'receive', 'search', 'scan', 'query', 'select', 'read', 'lookup', 'discover', 'validate', 'batchGet', 'batchDescribe', 'batchRead', 'transactGet', 'adminGet', 'adminList', 'testMigration', 'retrieve', 'testConnection', 'translateDocument', 'isAuthorized', 'invokeModel'];

const ARN = /^arn:aws[\w-]*:scheduler:::aws-sdk:([a-z0-9]+):([a-zA-Z0-9]+)$/;

export const isUniversalArn = (arn: string): boolean => /^arn:aws[\w-]*:scheduler:::aws-sdk:/.test(arn);

/** The target an ARN names, or why it cannot be one. */
export function parseUniversalArn(arn: string): UniversalTarget | string {
  const m = ARN.exec(arn);
  if (!m) return `${arn} is not a universal target ARN (arn:aws:scheduler:::aws-sdk:service:apiAction).`;
  const [, service, action] = m as unknown as [string, string, string];
  if (READ_ONLY.some((p) => action.startsWith(p) && (action.length === p.length || /[A-Z]/.test(action[p.length]!)))) {
    return `${action} is a read-only action, which EventBridge Scheduler does not support as a target.`;
  }
  return { service, endpointPrefix: PREFIX_OF[service] ?? service, operation: action[0]!.toUpperCase() + action.slice(1) };
}

export function universalSender(call: CallApi): TargetSender {
  return {
    async send(target, body) {
      const t = parseUniversalArn(target.arn);
      if (typeof t === 'string') throw new DeliveryError('SDK_CLIENT_ERROR', t, false);
      let input: unknown;
      try {
        input = JSON.parse(body);
      } catch {
        throw new DeliveryError('SDK_CLIENT_ERROR', 'The Input of a universal target must be a JSON object.', false);
      }
      if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new DeliveryError('SDK_CLIENT_ERROR', 'The Input of a universal target must be a JSON object.', false);
      await call(t.endpointPrefix, t.operation, input as Record<string, unknown>).catch((err: unknown) => {
        if (isThrottled(err)) throw new DeliveryError('THROTTLING', (err as Error).message, true);
        if (err instanceof AwsError) throw new DeliveryError(err.code, `${t.service}:${t.operation}: ${err.message}`, err.status >= 500 && err.status !== 501);
        throw err;
      });
    },
  };
}
