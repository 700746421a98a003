/**
 * How a log group's name becomes its key in the log store. The store predates groups of any name and
 * keys a function's group (`/aws/lambda/<function>`) by the function's name; every other group is
 * keyed by its full name, and a name without a `/` (which could be a function's) by `#name`. Function
 * names hold neither `/` nor `#`, so no two groups share a key.
 */
export const LAMBDA_PREFIX = '/aws/lambda/';

const GROUP_NAME = /^[.\-_/#A-Za-z0-9]{1,512}$/;
const FUNCTION_PART = /^[^/#]+$/;

export function isValidGroupName(name: string): boolean {
  return GROUP_NAME.test(name);
}

export function groupKey(name: string): string {
  const rest = name.startsWith(LAMBDA_PREFIX) ? name.slice(LAMBDA_PREFIX.length) : '';
  if (FUNCTION_PART.test(rest)) return rest;
  return name.includes('/') ? name : `#${name}`;
}

export function groupName(key: string): string {
  if (key.includes('/')) return key;
  return key.startsWith('#') ? key.slice(1) : `${LAMBDA_PREFIX}${key}`;
}

/** A group named by name or ARN (`arn:aws:logs:REGION:ACCOUNT:log-group:NAME`, with or without `:*`). */
export function nameOfIdentifier(identifier: string): string {
  return identifier.startsWith('arn:') ? (identifier.split(':log-group:')[1] ?? '').replace(/:\*$/, '') : identifier;
}
