import { SamCause } from '../errors.js';
import type { Json } from '../intrinsics.js';
export function addCors(id: string, _body: Json | undefined, _cors: Json): Json | undefined {
  throw new SamCause(`Resource with id [${id}] uses Cors, which Selfless's SAM transform does not support yet.`);
}
