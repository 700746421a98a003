/** Where a stream mapping's failure records go: an SQS queue (as async destinations send) or an SNS topic. */
import type { Destinations } from '../async/destinations.js';
import type { SnsSystem } from '../services/sns/sns-system.js';
import { Errors } from '../wire/errors.js';

const isTopic = (arn: string): boolean => arn.split(':')[2] === 'sns';

export async function sendStreamFailure(d: { arn: string; record: Record<string, unknown>; destinations: Destinations; sns: SnsSystem }): Promise<boolean> {
  if (!isTopic(d.arn)) return d.destinations.deliver(d.arn, d.record);
  try {
    await d.sns.publisher.publish({ topicArn: d.arn, message: JSON.stringify(d.record), attributes: {} });
    return true;
  } catch {
    return false;
  }
}

export async function checkStreamFailureDestination(arn: string, destinations: Destinations, sns: SnsSystem): Promise<void> {
  if (!isTopic(arn)) return destinations.check(arn);
  await sns.topics.get(arn).catch(() => {
    throw Errors.invalidParameter(`The destination topic ${arn} does not exist.`);
  });
}
