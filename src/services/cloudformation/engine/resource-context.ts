/** The context a provider gets for one resource of a stack. */
import { randomBytes } from 'node:crypto';
import type { Input } from '../../../api/service.js';
import type { StackRecord } from '../model.js';
import type { ResourceContext } from '../provider.js';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const suffix = (n: number) => [...randomBytes(n)].map((b) => ALPHABET[b % ALPHABET.length]).join('');

/** `<stack>-<logicalId>-<RANDOM>`, as CloudFormation names what a template leaves unnamed, cut to fit `maxLength`. */
export function physicalName(stackName: string, logicalId: string, maxLength = 255): string {
  const tail = suffix(12);
  const room = Math.max(2, maxLength - tail.length - 2);
  let stack = stackName;
  let logical = logicalId;
  while (stack.length + logical.length > room) {
    if (stack.length >= logical.length && stack.length > 1) stack = stack.slice(0, -1);
    else logical = logical.slice(0, -1);
  }
  return `${stack}-${logical}-${tail}`;
}

export function resourceContext(
  stack: StackRecord,
  logicalId: string,
  resourceType: string,
  deps: {
    account: { region: string; accountId: string };
    call: (endpointPrefix: string, operation: string, input: Input) => Promise<Input>;
    readObject(bucket: string, key: string, versionId?: string): Promise<Buffer>;
  },
): ResourceContext {
  const { account, call } = deps;
  return {
    stackName: stack.name,
    stackId: stack.stackId,
    logicalId,
    resourceType,
    region: account.region,
    accountId: account.accountId,
    stackTags: stack.tags,
    call,
    readObject: (bucket, key, versionId) => deps.readObject(bucket, key, versionId),
    physicalName: (maxLength) => physicalName(stack.name, logicalId, maxLength),
  };
}
