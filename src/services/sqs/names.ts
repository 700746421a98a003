/** Queue names, URLs (`<base>/<account>/<name>`) and ARNs (`arn:aws:sqs:<region>:<account>:<name>`). */
import type { Account } from '../../wire/arn.js';

const NAME = /^[A-Za-z0-9_-]{1,80}$/;
const FIFO_NAME = /^[A-Za-z0-9_-]{1,75}\.fifo$/;

export const isValidQueueName = (name: string, fifo: boolean): boolean => (fifo ? FIFO_NAME : NAME).test(name);

export const queueArn = (a: Account, name: string): string => `arn:aws:sqs:${a.region}:${a.accountId}:${name}`;

export const queueUrl = (baseUrl: string, a: Account, name: string): string => `${baseUrl}/${a.accountId}/${name}`;

/** The queue named by a URL of any host, if it belongs to this account. */
export function queueNameFromUrl(a: Account, url: string): string | undefined {
  const path = url.replace(/^[a-z]+:\/\/[^/]*/i, '').replace(/\/+$/, '');
  const parts = path.split('/').filter((p) => p !== '');
  if (parts.length !== 2 || parts[0] !== a.accountId) return undefined;
  return parts[1];
}

/** The queue named by an ARN of this account and region. */
export function queueNameFromArn(a: Account, arn: string): string | undefined {
  const parts = arn.split(':');
  if (parts.length !== 6 || parts[0] !== 'arn' || parts[2] !== 'sqs' || parts[3] !== a.region || parts[4] !== a.accountId) return undefined;
  return parts[5];
}
