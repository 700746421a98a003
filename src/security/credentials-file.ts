/** The keys a server verifies signatures against (`--credentials FILE`), validated once at start. */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ConfigError } from '../config/config.js';

export const AccessKeySchema = z.strictObject({
  accessKeyId: z.string().regex(/^[A-Za-z0-9]{16,128}$/, 'must be 16 to 128 letters and digits, as AWS access key ids are'),
  secretAccessKey: z.string().min(1),
  accountId: z.string().regex(/^\d{12}$/, 'must be 12 digits'),
});

export type AccessKey = z.infer<typeof AccessKeySchema>;

const FileSchema = z
  .array(AccessKeySchema)
  .min(1, 'must list at least one key')
  .refine((keys) => new Set(keys.map((k) => k.accessKeyId)).size === keys.length, 'lists an access key id twice');

/** A configuration error: `serve` prints its message alone. */
export class CredentialsFileError extends ConfigError {}

export function loadCredentialsFile(path: string): readonly AccessKey[] {
  let text: string;
  let json: unknown;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new CredentialsFileError(`cannot read the credentials file ${path}: ${(err as Error).message}`);
  }
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new CredentialsFileError(`the credentials file ${path} is not JSON: ${(err as Error).message}`);
  }
  const parsed = FileSchema.safeParse(json);
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => `${i.path.join('.') || 'the list'}: ${i.message}`).join('; ');
    throw new CredentialsFileError(`the credentials file ${path} must be a list of { "accessKeyId", "secretAccessKey", "accountId" }: ${detail}`);
  }
  return Object.freeze(parsed.data);
}
