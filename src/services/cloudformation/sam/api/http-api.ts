import type { SamResource } from '../model.js';
import type { Emitted, Translation } from '../translation.js';
export function translateHttpApi(_sam: SamResource, _t: Translation): Emitted { return []; }
