/** KMS (json 1.1, `TrentService.*`): keys, aliases and symmetric cryptography. Parse, call the KMS services, render. */
import { present } from '../../../wire/validate.js';
import type { CryptoService } from '../crypto-service.js';
import type { KeyService } from '../key-service.js';
import { KmsErrors, ProtocolErrors } from '../../../wire/errors.js';
import { kmsServiceModel } from '../../../wire/model.js';
import { typedHandlers, type Input, type ServiceBinding } from '../../../api/service.js';
import { aliasEntry, keyMetadata, kmsPage, tagsIn } from './render.js';
import { keyConfigHandlers } from './key-config.js';
import type { KmsInputs } from '../../../wire/inputs/kms.js';


const ALGORITHM = 'SYMMETRIC_DEFAULT';
const DEFAULT_LIMIT = 100;
const KEY_SPEC_BYTES: Record<string, number> = { AES_256: 32, AES_128: 16 };

const b64 = (b: Buffer) => b.toString('base64');

/** GenerateDataKey's length: KeySpec or NumberOfBytes, exactly one. */
function dataKeyBytes(i: { KeySpec?: string; NumberOfBytes?: number }): number {
  if ((i.KeySpec === undefined) === (i.NumberOfBytes === undefined)) {
    throw ProtocolErrors.validation('Please specify either number of bytes or key spec.');
  }
  return i.NumberOfBytes ?? KEY_SPEC_BYTES[i.KeySpec!]!;
}

/** The marker a list was given: what the previous page ended with. */
const markerOf = (i: { Marker?: string }) => i.Marker;

export function kmsBinding(keys: KeyService, crypto: CryptoService, accountId: string): ServiceBinding {
  return {
    models: [kmsServiceModel],
    handlers: typedHandlers<KmsInputs>({
      ...keyConfigHandlers(keys),
      async CreateKey(i) {
        const spec = i.KeySpec ?? i.CustomerMasterKeySpec ?? 'SYMMETRIC_DEFAULT';
        if (spec !== 'SYMMETRIC_DEFAULT' || (i.KeyUsage ?? 'ENCRYPT_DECRYPT') !== 'ENCRYPT_DECRYPT' || (i.Origin ?? 'AWS_KMS') !== 'AWS_KMS') {
          throw KmsErrors.unsupportedOperation(`Selfless makes only symmetric ENCRYPT_DECRYPT keys with AWS_KMS material, not ${spec}.`);
        }
        const key = await keys.create({ description: i.Description, tags: tagsIn(i.Tags) });
        return { KeyMetadata: keyMetadata(key, accountId) };
      },

      async DescribeKey(input) {
        return { KeyMetadata: keyMetadata(await keys.describe(input.KeyId), accountId) };
      },

      async ListKeys(i) {
        const limit = i.Limit ?? DEFAULT_LIMIT;
        const { page, ...more } = kmsPage(await keys.list(markerOf(i), limit + 1), limit, (k) => k.keyId);
        return { Keys: page.map((k) => ({ KeyId: k.keyId, KeyArn: k.arn })), ...more };
      },

      async EnableKey(input) {
        await keys.enable(input.KeyId);
        return {};
      },

      async DisableKey(input) {
        await keys.disable(input.KeyId);
        return {};
      },

      async ScheduleKeyDeletion(i) {
        const days = i.PendingWindowInDays ?? 30;
        if (days < 7 || days > 30) throw ProtocolErrors.validation(`PendingWindowInDays must be between 7 and 30, not ${days}.`);
        const key = await keys.scheduleDeletion(i.KeyId, days);
        return { KeyId: key.arn, DeletionDate: key.deletionAt! / 1000, KeyState: key.state, PendingWindowInDays: days };
      },

      async CancelKeyDeletion(input) {
        return { KeyId: (await keys.cancelDeletion(input.KeyId)).arn };
      },

      async CreateAlias(i) {
        await keys.createAlias(i.AliasName, i.TargetKeyId);
        return {};
      },

      async UpdateAlias(i) {
        await keys.updateAlias(i.AliasName, i.TargetKeyId);
        return {};
      },

      async DeleteAlias(input) {
        await keys.deleteAlias(input.AliasName);
        return {};
      },

      async ListAliases(i) {
        const limit = i.Limit ?? DEFAULT_LIMIT;
        const { page, ...more } = kmsPage(await keys.listAliases(i.KeyId, markerOf(i), limit + 1), limit, (a) => a.name);
        return { Aliases: page.map((a) => aliasEntry(a, keys.aliasArn(a.name))), ...more };
      },

      async Encrypt(i) {
        const out = await crypto.encrypt(i.KeyId, i.Plaintext, i.EncryptionContext);
        return { CiphertextBlob: b64(out.blob), KeyId: out.keyArn, EncryptionAlgorithm: ALGORITHM };
      },

      async Decrypt(i) {
        const out = await crypto.decrypt(present(i.CiphertextBlob, 'CiphertextBlob'), i.EncryptionContext, i.KeyId);
        return { KeyId: out.keyArn, Plaintext: b64(out.plaintext), EncryptionAlgorithm: ALGORITHM };
      },

      async GenerateDataKey(i) {
        const out = await crypto.generateDataKey(i.KeyId, dataKeyBytes(i), i.EncryptionContext);
        return { CiphertextBlob: b64(out.blob), Plaintext: b64(out.plaintext), KeyId: out.keyArn };
      },

      async GenerateDataKeyWithoutPlaintext(i) {
        const out = await crypto.generateDataKey(i.KeyId, dataKeyBytes(i), i.EncryptionContext);
        out.plaintext.fill(0);
        return { CiphertextBlob: b64(out.blob), KeyId: out.keyArn };
      },

      async ReEncrypt(i) {
        const out = await crypto.reEncrypt(
          present(i.CiphertextBlob, 'CiphertextBlob'),
          { context: i.SourceEncryptionContext, keyRef: i.SourceKeyId },
          { keyRef: i.DestinationKeyId, context: i.DestinationEncryptionContext },
        );
        return {
          CiphertextBlob: b64(out.blob),
          SourceKeyId: out.sourceKeyArn,
          KeyId: out.keyArn,
          SourceEncryptionAlgorithm: ALGORITHM,
          DestinationEncryptionAlgorithm: ALGORITHM,
        } satisfies Input;
      },
    }),
  };
}
