/**
 * What a function name's qualifier names: `$LATEST` (or none), a published version (digits), or an
 * alias (anything else the model's patterns let through). Classified here and nowhere else.
 */
import { LATEST } from './function.js';

export type Qualifier = { kind: 'latest' } | { kind: 'version'; version: string } | { kind: 'alias'; alias: string };

const VERSION = /^\d+$/;

export function classifyQualifier(qualifier: string | undefined): Qualifier {
  if (qualifier === undefined || qualifier === LATEST) return { kind: 'latest' };
  if (VERSION.test(qualifier)) return { kind: 'version', version: qualifier };
  return { kind: 'alias', alias: qualifier };
}
