import type { SamResource } from '../model.js';
import type { Emitted, Translation } from '../translation.js';
export function translateRestApi(_sam: SamResource, _t: Translation): Emitted { return []; }
