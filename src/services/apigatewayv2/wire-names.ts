/**
 * API Gateway V2's wire members are its domain fields with an upper-case first letter
 * (`ApiId` / `apiId`); maps (tags, stage variables, parameters) keep their keys.
 */
import type { Input } from '../../api/service.js';

/** Members whose value is a map: its keys are the user's, never renamed. */
const MAPS = new Set(['tags', 'stageVariables', 'requestTemplates', 'responseParameters', 'requestModels', 'requestParameters', 'routeSettings']);
/** Maps whose values are structures (renamed); the others' values are kept as they are. */
const MAPS_OF_STRUCTURES = new Set(['routeSettings', 'requestParameters']);

const lower = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);
const upper = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

function rename(value: unknown, name: (k: string) => string): unknown {
  if (Array.isArray(value)) return value.map((v) => rename(v, name));
  if (value === null || typeof value !== 'object' || Buffer.isBuffer(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (v === undefined) continue;
    const domainKey = lower(k);
    if (MAPS.has(domainKey) && v !== null && typeof v === 'object') {
      const map: Record<string, unknown> = {};
      for (const [mk, mv] of Object.entries(v as Record<string, unknown>)) map[mk] = MAPS_OF_STRUCTURES.has(domainKey) ? rename(mv, name) : mv;
      out[name(k)] = map;
    } else out[name(k)] = rename(v, name);
  }
  return out;
}

/** A handler's input (wire member names) in domain field names. */
export const toDomain = <T>(input: Input): T => rename(input, lower) as T;

/** A domain record in wire member names. */
export const toWire = (record: object): Record<string, unknown> => rename(record, upper) as Record<string, unknown>;

/** Epoch milliseconds as API Gateway's ISO 8601 dates. */
export const isoDate = (ms: number): string => new Date(ms).toISOString();
