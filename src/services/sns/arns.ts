/** SNS ARNs: topics `arn:aws:sns:<region>:<account>:<name>`, subscriptions `<topic ARN>:<id>`. */
import type { Account } from '../../wire/arn.js';

export const topicArn = (a: Account, name: string): string => `arn:aws:sns:${a.region}:${a.accountId}:${name}`;

/** The topic's name, if `arn` is a topic ARN of this account and region. */
export function topicNameOf(a: Account, arn: string): string | undefined {
  const prefix = topicArn(a, '');
  const name = arn.startsWith(prefix) ? arn.slice(prefix.length) : '';
  return name !== '' && !name.includes(':') ? name : undefined;
}

/** The topic ARN a subscription ARN belongs to. */
export function topicOfSubscription(a: Account, arn: string): string | undefined {
  const cut = arn.lastIndexOf(':');
  const topic = cut > 0 ? arn.slice(0, cut) : '';
  return topicNameOf(a, topic) !== undefined ? topic : undefined;
}

const TOPIC_NAME = /^[A-Za-z0-9_-]{1,256}$/;

/** SNS's rule: letters, digits, `-` and `_`, up to 256; a FIFO topic's name ends in `.fifo`. */
export function isValidTopicName(name: string, fifo: boolean): boolean {
  if (fifo) return name.endsWith('.fifo') && TOPIC_NAME.test(name.slice(0, -'.fifo'.length)) && name.length <= 256;
  return TOPIC_NAME.test(name);
}
