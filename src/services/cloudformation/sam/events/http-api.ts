import type { Emitted } from '../translation.js';
import type { EventInput } from './common.js';
export function translateHttpApiEvent(_input: EventInput): Emitted {
  return [];
}
