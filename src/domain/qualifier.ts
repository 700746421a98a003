/**
 * What a function name's qualifier names: `$LATEST` (or none), a published version (digits, or
 * `$LATEST.PUBLISHED`, the unnumbered published version of a managed-instances function), or an
 * alias (anything else the model's patterns let through). Classified here and nowhere else.
 */
import { LATEST, LATEST_PUBLISHED } from './function.js';

export type Qualifier = { kind: 'latest' } | { kind: 'version'; version: string } | { kind: 'alias'; alias: string };

const VERSION = /^\d+$/;

/** A version number, or `$LATEST.PUBLISHED`. */
export const isPublishedVersion = (v: string): boolean => VERSION.test(v) || v === LATEST_PUBLISHED;

export function classifyQualifier(qualifier: string | undefined): Qualifier {
  if (qualifier === undefined || qualifier === LATEST) return { kind: 'latest' };
  if (isPublishedVersion(qualifier)) return { kind: 'version', version: qualifier };
  return { kind: 'alias', alias: qualifier };
}
