/** A CloudWatch dashboard: its name and body (JSON text, kept as given), as the store keeps them. */
import { z } from 'zod';

export const DashboardRecordSchema = z.object({
  name: z.string(),
  body: z.string(),
  lastModified: z.number(),
  tags: z.record(z.string(), z.string()).optional(),
});
export type DashboardRecord = z.infer<typeof DashboardRecordSchema>;
