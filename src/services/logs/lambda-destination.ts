/** Subscription filters' Lambda destinations: the function's policy must let CloudWatch Logs invoke it, and deliveries are Event invokes. */
import type { AsyncSystem } from '../../async/async-system.js';
import { functionLogGroup } from '../../domain/function.js';
import type { FunctionService } from '../../functions/function-service.js';
import { parseFunctionRef, type Account } from '../../wire/arn.js';
import { LogsErrors } from '../../wire/errors.js';
import type { Deliver } from './subscriptions.js';

type Statement = Record<string, unknown>;

const globMatch = (pattern: string, value: string) =>
  new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`).test(value);

/** As Lambda evaluates a resource policy for CloudWatch Logs: Allow, its service principal (or anyone), InvokeFunction, a source ARN that fits the group. */
function allowsLogs(statement: Statement, groupArn: string, account: Account): boolean {
  if (statement['Effect'] !== 'Allow') return false;
  const principal = statement['Principal'];
  const service = typeof principal === 'object' && principal !== null ? (principal as Record<string, unknown>)['Service'] : undefined;
  const principals = ([] as unknown[]).concat(service);
  const isLogs = (s: unknown) => s === 'logs.amazonaws.com' || s === `logs.${account.region}.amazonaws.com`;
  if (principal !== '*' && !principals.some(isLogs)) return false;
  const actions = ([] as unknown[]).concat(statement['Action']);
  if (!actions.some((a) => typeof a === 'string' && globMatch(a, 'lambda:InvokeFunction'))) return false;
  const condition = (statement['Condition'] ?? {}) as Record<string, Record<string, string>>;
  const sourceArn = condition['ArnLike']?.['AWS:SourceArn'] ?? condition['ArnEquals']?.['AWS:SourceArn'];
  if (sourceArn !== undefined && !globMatch(sourceArn, groupArn) && !globMatch(sourceArn, `${groupArn}:*`)) return false;
  const sourceAccount = condition['StringEquals']?.['AWS:SourceAccount'];
  return sourceAccount === undefined || sourceAccount === account.accountId;
}

export interface LambdaDestinations {
  /** Refuses a destination CloudWatch Logs could not invoke, with AWS's reasons; returns the log group the function writes to. */
  check(destinationArn: string, groupArn: string): Promise<string>;
  deliver: Deliver;
}

export function lambdaDestinations(functions: FunctionService, asyncSystem: AsyncSystem, account: Account): LambdaDestinations {
  return {
    async check(destinationArn, groupArn) {
      if (!destinationArn.startsWith('arn:aws:lambda:')) {
        throw LogsErrors.invalidParameter(`Selfless delivers subscription filters to Lambda functions only, not ${destinationArn}.`);
      }
      const ref = parseFunctionRef(account, destinationArn);
      const fn = await functions.get(ref.name).catch(() => undefined);
      if (!fn || !fn.policy.some((s) => allowsLogs(s as Statement, groupArn, account))) {
        throw LogsErrors.invalidParameter('Could not execute the lambda function. Make sure you have given CloudWatch Logs permission to execute your function.');
      }
      return functionLogGroup(fn.name, fn.config.logging);
    },
    async deliver(destinationArn, payload, requestId) {
      await asyncSystem.events.submitRef(parseFunctionRef(account, destinationArn), Buffer.from(payload), requestId);
    },
  };
}
