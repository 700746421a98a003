/**
 * A method that requires an API key: the key must exist, be enabled and belong to a usage plan that
 * covers this API's stage (else 403 Forbidden); then the plan's throttle (429 Too Many Requests, the
 * method's own throttle if the plan sets one) and its quota (429 Limit Exceeded).
 */
import type { KeyService } from '../keys.js';
import { Gateway } from './responses.js';
import type { UsageMeter } from './usage.js';

export interface KeyUse {
  apiId: string;
  stage: string;
  /** `/pets/{id}/GET`, as usage plans name a method's throttle. */
  methodKey: string;
}

export async function admitApiKey(keys: KeyService, meter: UsageMeter, value: string | undefined, use: KeyUse): Promise<{ id: string; value: string }> {
  if (value === undefined || value === '') throw Gateway.invalidApiKey();
  const key = await keys.keyByValue(value);
  if (!key || !key.enabled) throw Gateway.invalidApiKey();
  const plans = await keys.plans(key.id);
  const plan = plans.find((p) => p.apiStages.some((s) => s.apiId === use.apiId && s.stage === use.stage));
  if (!plan) throw Gateway.invalidApiKey();
  const stage = plan.apiStages.find((s) => s.apiId === use.apiId && s.stage === use.stage)!;
  const methodThrottle = stage.throttle?.[use.methodKey];
  const throttleKey = methodThrottle ? `${plan.id}/${key.id}/${use.apiId}/${use.stage}${use.methodKey}` : `${plan.id}/${key.id}`;
  if (!meter.take(throttleKey, methodThrottle ?? plan.throttle)) throw Gateway.throttled();
  if (!meter.count(`${plan.id}/${key.id}`, plan.quota)) throw Gateway.quotaExceeded();
  return { id: key.id, value: key.value };
}
