/**
 * Envelope encryption of secret values, as Secrets Manager does it: a fresh data key per version
 * from KMS (under the secret's key), the value sealed with it (AES-256-GCM), and only the data key's
 * KMS blob kept beside the sealed value. Both are bound to the secret's ARN and version id.
 */
import type { SealedValue } from '../../domain/secret.js';
import type { CryptoService } from '../kms/crypto-service.js';
import { open, seal } from '../../security/aead.js';
import { AwsError, SecretsManagerErrors } from '../../wire/errors.js';

export const DEFAULT_SECRET_KEY = 'alias/aws/secretsmanager';

export type SecretValue = { kind: 'string'; text: string } | { kind: 'binary'; bytes: Buffer };

const context = (arn: string, versionId: string) => ({ SecretARN: arn, SecretVersionId: versionId });
const aad = (arn: string, versionId: string) => `secretsmanager:${arn}:${versionId}`;

export class SecretValues {
  constructor(private readonly crypto: CryptoService) {}

  async seal(value: SecretValue, keyRef: string | undefined, arn: string, versionId: string): Promise<SealedValue> {
    const dataKey = await this.crypto.generateDataKey(keyRef ?? DEFAULT_SECRET_KEY, 32, context(arn, versionId)).catch((err: unknown) => {
      throw err instanceof AwsError ? SecretsManagerErrors.encryptionFailure(`Secrets Manager can't encrypt the secret value: ${err.message}`) : err;
    });
    const plaintext = value.kind === 'string' ? Buffer.from(value.text, 'utf8') : value.bytes;
    try {
      return { kind: value.kind, dataKey: dataKey.blob.toString('base64'), sealed: seal(dataKey.plaintext, plaintext, aad(arn, versionId)).toString('base64') };
    } finally {
      dataKey.plaintext.fill(0);
    }
  }

  async open(sealed: SealedValue, arn: string, versionId: string): Promise<SecretValue> {
    const dataKey = await this.crypto.decrypt(Buffer.from(sealed.dataKey, 'base64'), context(arn, versionId)).catch((err: unknown) => {
      throw err instanceof AwsError ? SecretsManagerErrors.decryptionFailure(`Secrets Manager can't decrypt the protected secret text using the provided KMS key: ${err.message}`) : err;
    });
    try {
      const plaintext = open(dataKey.plaintext, Buffer.from(sealed.sealed, 'base64'), aad(arn, versionId));
      return sealed.kind === 'string' ? { kind: 'string', text: plaintext.toString('utf8') } : { kind: 'binary', bytes: plaintext };
    } finally {
      dataKey.plaintext.fill(0);
    }
  }
}
