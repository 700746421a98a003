import type { Emitted } from '../translation.js';
import type { EventInput } from './common.js';
export function translateApiEvent(_input: EventInput): Emitted {
  return [];
}
