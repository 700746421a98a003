import { randomBytes, randomUUID } from 'node:crypto';

export const newRequestId = (): string => randomUUID();
export const newRevisionId = (): string => randomUUID();
/** 32 hex characters, the shape Lambda uses in log stream names. */
export const newHexId = (): string => randomBytes(16).toString('hex');
