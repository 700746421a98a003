/** ARNs in AWS's format, and the several ways a caller may name a function. */
import { Errors, ProtocolErrors } from './errors.js';

export interface Account {
  region: string;
  accountId: string;
}

export const functionArn = (a: Account, name: string, qualifier?: string): string =>
  `arn:aws:lambda:${a.region}:${a.accountId}:function:${name}${qualifier ? `:${qualifier}` : ''}`;

export const capacityProviderArn = (a: Account, name: string): string => `arn:aws:lambda:${a.region}:${a.accountId}:capacity-provider:${name}`;

/** A capacity provider's name, from its name or its ARN; an ARN of another account or region names none here. */
export function capacityProviderNameOf(a: Account, nameOrArn: string): string {
  const m = /^arn:aws[a-zA-Z-]*:lambda:([^:]+):(\d{12}):capacity-provider:([a-zA-Z0-9-_]+)$/.exec(nameOrArn);
  if (!m) return nameOrArn;
  if (m[1] !== a.region || m[2] !== a.accountId) throw Errors.capacityProviderNotFound(nameOrArn);
  return m[3]!;
}

export const logGroupArn = (a: Account, group: string): string => `arn:aws:logs:${a.region}:${a.accountId}:log-group:${group}`;

export interface FunctionRef {
  name: string;
  qualifier?: string;
}

const NAME = /^[a-zA-Z0-9-_]{1,64}$/;
const QUALIFIER = /^(\$LATEST(\.PUBLISHED)?|[a-zA-Z0-9-_]{1,128})$/;

/**
 * Accepts `name`, `name:qualifier`, `123456789012:function:name[:qualifier]` and full ARNs,
 * rejecting ARNs of another account or region as Lambda does.
 */
export function parseFunctionRef(a: Account, raw: string): FunctionRef {
  const parts = raw.split(':');
  let name: string | undefined;
  let qualifier: string | undefined;
  if (parts[0] === 'arn') {
    // arn:aws:lambda:region:account:function:name[:qualifier]
    if (parts.length < 7 || parts.length > 8 || parts[2] !== 'lambda' || parts[5] !== 'function') throw invalidName(raw);
    if (parts[3] !== a.region || parts[4] !== a.accountId) throw wrongAccount(a, raw);
    name = parts[6];
    qualifier = parts[7];
  } else if (parts.length >= 3 && parts[1] === 'function') {
    if (parts.length > 4) throw invalidName(raw);
    if (parts[0] !== a.accountId) throw wrongAccount(a, raw);
    name = parts[2];
    qualifier = parts[3];
  } else if (parts.length <= 2) {
    name = parts[0];
    qualifier = parts[1];
  }
  if (!name || !NAME.test(name)) throw invalidName(raw);
  if (qualifier !== undefined && !QUALIFIER.test(qualifier)) throw invalidName(raw);
  return qualifier === undefined ? { name } : { name, qualifier };
}

/** Reconciles a qualifier given in the name with one given as `Qualifier`, as Lambda does. */
export function withQualifier(ref: FunctionRef, qualifier: string | undefined): FunctionRef {
  if (qualifier === undefined) return ref;
  if (ref.qualifier !== undefined && ref.qualifier !== qualifier) {
    throw Errors.invalidParameter('The derived qualifier from the function name does not match the specified qualifier.');
  }
  return { name: ref.name, qualifier };
}

const invalidName = (raw: string) =>
  ProtocolErrors.validation(
    `1 validation error detected: Value '${raw}' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: (arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?`,
  );

const wrongAccount = (a: Account, raw: string) =>
  Errors.resourceNotFound(`Functions from '${raw.split(':').slice(3, 5).join(':')}' are not reachable in this account (${a.region}:${a.accountId})`);

// --- EventBridge ---
export const eventBusArn = (a: Account, bus: string): string => `arn:aws:events:${a.region}:${a.accountId}:event-bus/${bus}`;
/** A rule on the default bus has no bus in its ARN; on a custom bus it does. */
export const eventRuleArn = (a: Account, bus: string, rule: string): string =>
  `arn:aws:events:${a.region}:${a.accountId}:rule/${bus === 'default' ? '' : `${bus}/`}${rule}`;
export const eventArchiveArn = (a: Account, archive: string): string => `arn:aws:events:${a.region}:${a.accountId}:archive/${archive}`;
export const eventReplayArn = (a: Account, replay: string): string => `arn:aws:events:${a.region}:${a.accountId}:replay/${replay}`;
/** An archive's name from its ARN (or the name itself). */
export const eventArchiveNameOf = (nameOrArn: string): string => /^arn:aws[\w-]*:events:[^:]*:\d{12}:archive\/(.+)$/.exec(nameOrArn)?.[1] ?? nameOrArn;
/** An EventBusName parameter: a name, or the ARN of a bus. */
export const eventBusNameOf = (nameOrArn: string): string => /^arn:aws[\w-]*:events:[^:]*:\d{12}:event-bus\/(.+)$/.exec(nameOrArn)?.[1] ?? nameOrArn;

// --- EventBridge Scheduler ---
export const scheduleArn = (a: Account, group: string, name: string): string => `arn:aws:scheduler:${a.region}:${a.accountId}:schedule/${group}/${name}`;
export const scheduleGroupArn = (a: Account, group: string): string => `arn:aws:scheduler:${a.region}:${a.accountId}:schedule-group/${group}`;
