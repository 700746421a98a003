/** CloudWatch's wire shapes as the handlers read them (validated against the model before they run), and their conversions. */
import type { Dimension } from '../../../domain/custom-metric.js';
import { CloudWatchErrors } from '../../../wire/errors.js';
import { timestampMs } from '../../../wire/timestamp.js';

export interface DimensionWire {
  Name: string;
  Value: string;
}

export interface MetricWire {
  Namespace?: string;
  MetricName?: string;
  Dimensions?: DimensionWire[];
}

/** A timestamp as the protocols decode it: epoch seconds (JSON) or ISO 8601 text (query); a Date from inside the server. */
export type TimestampWire = number | string | Date;

export function toMs(value: TimestampWire, member: string): number {
  const ms = timestampMs(value);
  if (!Number.isFinite(ms)) throw CloudWatchErrors.invalidParameterValue(`The parameter ${member} must be a valid timestamp.`);
  return ms;
}

/** Epoch seconds, as handlers return timestamps. */
export const seconds = (ms: number): number => ms / 1000;

export const fromWire = (dims: readonly DimensionWire[] | undefined): Dimension[] => (dims ?? []).map((d) => ({ name: d.Name, value: d.Value }));
export const toWire = (dims: readonly Dimension[]): DimensionWire[] => dims.map((d) => ({ Name: d.name, Value: d.value }));

/** CloudWatch's periods: a multiple of 60 seconds, or 1, 5, 10 and 30 for high-resolution metrics. */
export function checkPeriod(period: number, member: string): number {
  if (period <= 0 || (period % 60 !== 0 && ![1, 5, 10, 30].includes(period))) {
    throw CloudWatchErrors.invalidParameterValue(`The parameter ${member} must be a multiple of 60, or 1, 5, 10 or 30.`);
  }
  return period * 1000;
}
