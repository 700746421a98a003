/**
 * SNS's delivery policy for HTTP/S endpoints (`healthyRetryPolicy`): after the first attempt, retries
 * with no delay, then at the minimum delay, then backing off towards the maximum, then at the maximum.
 */
import { z } from 'zod';
import { DEFAULT_HTTP_RETRY } from '../topic-service.js';
import type { SubscriptionRecord, TopicRecord } from '../model.js';

const HealthyRetryPolicySchema = z.object({
  minDelayTarget: z.number().int().min(1).max(3600).default(DEFAULT_HTTP_RETRY.minDelayTarget),
  maxDelayTarget: z.number().int().min(1).max(3600).default(DEFAULT_HTTP_RETRY.maxDelayTarget),
  numRetries: z.number().int().min(0).max(100).default(DEFAULT_HTTP_RETRY.numRetries),
  numNoDelayRetries: z.number().int().min(0).default(0),
  numMinDelayRetries: z.number().int().min(0).default(0),
  numMaxDelayRetries: z.number().int().min(0).default(0),
  backoffFunction: z.enum(['linear', 'arithmetic', 'geometric', 'exponential']).default('linear'),
});
export type HealthyRetryPolicy = z.infer<typeof HealthyRetryPolicySchema>;

const SubscriptionPolicySchema = z.object({ healthyRetryPolicy: HealthyRetryPolicySchema.optional() });
const TopicPolicySchema = z.object({ http: z.object({ defaultHealthyRetryPolicy: HealthyRetryPolicySchema.optional() }).optional() });

function parse<T>(schema: z.ZodType<T>, json: string | undefined): T | undefined {
  if (json === undefined) return undefined;
  try {
    const r = schema.safeParse(JSON.parse(json));
    return r.success ? r.data : undefined;
  } catch {
    return undefined;
  }
}

/** The subscription's own policy, else its topic's, else SNS's default (3 retries, 20 s apart). */
export function httpRetryPolicy(topic: TopicRecord, s: SubscriptionRecord): HealthyRetryPolicy {
  return (
    parse(SubscriptionPolicySchema, s.attributes['DeliveryPolicy'])?.healthyRetryPolicy ??
    parse(TopicPolicySchema, topic.attributes['DeliveryPolicy'])?.http?.defaultHealthyRetryPolicy ??
    HealthyRetryPolicySchema.parse({})
  );
}

/** The delay in seconds before each retry, in order (one entry per retry). */
export function retryDelays(p: HealthyRetryPolicy): number[] {
  const delays: number[] = [];
  const backoff = Math.max(0, p.numRetries - p.numNoDelayRetries - p.numMinDelayRetries - p.numMaxDelayRetries);
  for (let i = 0; i < p.numNoDelayRetries; i++) delays.push(0);
  for (let i = 0; i < p.numMinDelayRetries; i++) delays.push(p.minDelayTarget);
  for (let i = 1; i <= backoff; i++) {
    const f = backoff === 1 ? 1 : (i - 1) / (backoff - 1);
    // Geometric and exponential curves start slow and rise late; arithmetic and linear evenly.
    const shape = p.backoffFunction === 'geometric' || p.backoffFunction === 'exponential' ? f * f : f;
    delays.push(Math.round(p.minDelayTarget + (p.maxDelayTarget - p.minDelayTarget) * shape));
  }
  for (let i = 0; i < p.numMaxDelayRetries; i++) delays.push(p.maxDelayTarget);
  return delays.slice(0, p.numRetries);
}
