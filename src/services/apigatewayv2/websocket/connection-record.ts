/**
 * A WebSocket connection as stored: which API and stage it belongs to, when it began, who opened
 * it, and the node holding its socket (only that node can write to it). Written when the connection
 * opens, deleted when it closes, so any node answers GetConnection and GoneException alike.
 */
import { z } from 'zod';

export const ConnectionRecordSchema = z.strictObject({
  connectionId: z.string(),
  apiId: z.string(),
  stage: z.string(),
  /** Epoch ms. */
  connectedAt: z.number(),
  sourceIp: z.string(),
  userAgent: z.string(),
  /** The node whose socket this is. */
  nodeId: z.string(),
});
export type ConnectionRecord = z.infer<typeof ConnectionRecordSchema>;
