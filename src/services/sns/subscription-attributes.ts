/** Checks a subscription's attributes as SNS does, before they are stored. */
import { z } from 'zod';
import { ProtocolErrors, SnsErrors } from '../../wire/errors.js';
import { FilterPolicyError, parseFilterPolicy, type FilterPolicy, type FilterPolicyScope } from './filter-policy.js';
import type { SubscriptionProtocol } from './model.js';

export const SETTABLE_SUBSCRIPTION_ATTRIBUTES = new Set([
  'DeliveryPolicy', 'FilterPolicy', 'FilterPolicyScope', 'RawMessageDelivery', 'RedrivePolicy', 'SubscriptionRoleArn', 'ReplayPolicy',
]);
const RAW_CAPABLE = new Set<SubscriptionProtocol>(['sqs', 'http', 'https']);

const RedrivePolicySchema = z.object({ deadLetterTargetArn: z.string().regex(/^arn:aws:sqs:[^:]+:\d{12}:[A-Za-z0-9_-]{1,80}(\.fifo)?$/) });
export type RedrivePolicy = z.infer<typeof RedrivePolicySchema>;

const invalid = (reason: string) => SnsErrors.invalidParameter(`Attributes Reason: ${reason}`);

/** Checks every attribute of a subscription (the whole set, as it will be stored); returns them normalized. */
export function checkSubscriptionAttributes(protocol: SubscriptionProtocol, attributes: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, raw] of Object.entries(attributes)) {
    if (!SETTABLE_SUBSCRIPTION_ATTRIBUTES.has(name)) throw SnsErrors.invalidParameter('AttributeName');
    // Message replay (from a FIFO topic's archive) is not served yet.
    if (name === 'ReplayPolicy') throw ProtocolErrors.notImplemented("SNS's ReplayPolicy");
    out[name] = name === 'RawMessageDelivery' ? raw.toLowerCase() : raw;
  }
  const raw = out['RawMessageDelivery'];
  if (raw !== undefined) {
    if (raw !== 'true' && raw !== 'false') throw invalid('RawMessageDelivery: Invalid value [' + raw + ']. Must be true or false.');
    if (raw === 'true' && !RAW_CAPABLE.has(protocol)) throw invalid(`Delivery protocol [${protocol}] does not support raw message delivery.`);
  }
  const scope = out['FilterPolicyScope'];
  if (scope !== undefined && scope !== 'MessageAttributes' && scope !== 'MessageBody') {
    throw SnsErrors.invalidParameter('Attributes Reason: FilterPolicyScope: Invalid value [' + scope + ']. Please use either MessageBody or MessageAttributes');
  }
  if (out['FilterPolicy'] !== undefined) filterPolicyOf(out);
  if (out['RedrivePolicy'] !== undefined) redrivePolicyOf(out);
  if (out['DeliveryPolicy'] !== undefined) parseJson('DeliveryPolicy', out['DeliveryPolicy']);
  return out;
}

/** The subscription's compiled filter policy, if it has one. */
export function filterPolicyOf(attributes: Readonly<Record<string, string>>): FilterPolicy | undefined {
  const json = attributes['FilterPolicy'];
  if (json === undefined || json === '') return undefined;
  try {
    return parseFilterPolicy(json, (attributes['FilterPolicyScope'] as FilterPolicyScope | undefined) ?? 'MessageAttributes');
  } catch (err) {
    if (err instanceof FilterPolicyError) throw SnsErrors.invalidParameter(`FilterPolicy: ${err.message}`);
    throw err;
  }
}

export function redrivePolicyOf(attributes: Readonly<Record<string, string>>): RedrivePolicy | undefined {
  const json = attributes['RedrivePolicy'];
  if (json === undefined || json === '') return undefined;
  const parsed = RedrivePolicySchema.safeParse(parseJson('RedrivePolicy', json));
  if (!parsed.success) throw SnsErrors.invalidParameter('RedrivePolicy: deadLetterTargetArn is invalid');
  return parsed.data;
}

function parseJson(name: string, json: string): unknown {
  try {
    return JSON.parse(json);
  } catch {
    throw SnsErrors.invalidParameter(`${name}: failed to parse JSON.`);
  }
}
