/** KMS (json 1.1, `TrentService.*`): keys, aliases and symmetric cryptography. Parse, call the KMS services, render. */
import type { CryptoService } from '../crypto-service.js';
import type { KeyService } from '../key-service.js';
import { KmsErrors, ProtocolErrors } from '../../../wire/errors.js';
import { kmsServiceModel } from '../../../wire/model.js';
import type { Input, ServiceBinding } from '../../../api/service.js';
import { aliasEntry, keyMetadata, kmsPage, tagsIn } from './render.js';
import { keyConfigHandlers } from './key-config.js';

type Context = Record<string, string> | undefined;

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
    handlers: {
      ...keyConfigHandlers(keys),
      async CreateKey(input) {
        const i = input as { Description?: string; KeyUsage?: string; KeySpec?: string; CustomerMasterKeySpec?: string; Origin?: string; Tags?: { TagKey: string; TagValue: string }[] };
        const spec = i.KeySpec ?? i.CustomerMasterKeySpec ?? 'SYMMETRIC_DEFAULT';
        if (spec !== 'SYMMETRIC_DEFAULT' || (i.KeyUsage ?? 'ENCRYPT_DECRYPT') !== 'ENCRYPT_DECRYPT' || (i.Origin ?? 'AWS_KMS') !== 'AWS_KMS') {
          throw KmsErrors.unsupportedOperation(`Selfless makes only symmetric ENCRYPT_DECRYPT keys with AWS_KMS material, not ${spec}.`);
        }
        const key = await keys.create({ description: i.Description, tags: tagsIn(i.Tags) });
        return { KeyMetadata: keyMetadata(key, accountId) };
      },

      async DescribeKey(input) {
        return { KeyMetadata: keyMetadata(await keys.describe((input as { KeyId: string }).KeyId), accountId) };
      },

      async ListKeys(input) {
        const i = input as { Limit?: number; Marker?: string };
        const limit = i.Limit ?? DEFAULT_LIMIT;
        const { page, ...more } = kmsPage(await keys.list(markerOf(i), limit + 1), limit, (k) => k.keyId);
        return { Keys: page.map((k) => ({ KeyId: k.keyId, KeyArn: k.arn })), ...more };
      },

      async EnableKey(input) {
        await keys.enable((input as { KeyId: string }).KeyId);
        return {};
      },

      async DisableKey(input) {
        await keys.disable((input as { KeyId: string }).KeyId);
        return {};
      },

      async ScheduleKeyDeletion(input) {
        const i = input as { KeyId: string; PendingWindowInDays?: number };
        const days = i.PendingWindowInDays ?? 30;
        if (days < 7 || days > 30) throw ProtocolErrors.validation(`PendingWindowInDays must be between 7 and 30, not ${days}.`);
        const key = await keys.scheduleDeletion(i.KeyId, days);
        return { KeyId: key.arn, DeletionDate: key.deletionAt! / 1000, KeyState: key.state, PendingWindowInDays: days };
      },

      async CancelKeyDeletion(input) {
        return { KeyId: (await keys.cancelDeletion((input as { KeyId: string }).KeyId)).arn };
      },

      async CreateAlias(input) {
        const i = input as { AliasName: string; TargetKeyId: string };
        await keys.createAlias(i.AliasName, i.TargetKeyId);
        return {};
      },

      async UpdateAlias(input) {
        const i = input as { AliasName: string; TargetKeyId: string };
        await keys.updateAlias(i.AliasName, i.TargetKeyId);
        return {};
      },

      async DeleteAlias(input) {
        await keys.deleteAlias((input as { AliasName: string }).AliasName);
        return {};
      },

      async ListAliases(input) {
        const i = input as { KeyId?: string; Limit?: number; Marker?: string };
        const limit = i.Limit ?? DEFAULT_LIMIT;
        const { page, ...more } = kmsPage(await keys.listAliases(i.KeyId, markerOf(i), limit + 1), limit, (a) => a.name);
        return { Aliases: page.map((a) => aliasEntry(a, keys.aliasArn(a.name))), ...more };
      },

      async Encrypt(input) {
        const i = input as { KeyId: string; Plaintext: Buffer; EncryptionContext?: Context };
        const out = await crypto.encrypt(i.KeyId, i.Plaintext, i.EncryptionContext);
        return { CiphertextBlob: b64(out.blob), KeyId: out.keyArn, EncryptionAlgorithm: ALGORITHM };
      },

      async Decrypt(input) {
        const i = input as { CiphertextBlob: Buffer; EncryptionContext?: Context; KeyId?: string };
        const out = await crypto.decrypt(i.CiphertextBlob, i.EncryptionContext, i.KeyId);
        return { KeyId: out.keyArn, Plaintext: b64(out.plaintext), EncryptionAlgorithm: ALGORITHM };
      },

      async GenerateDataKey(input) {
        const i = input as { KeyId: string; EncryptionContext?: Context; KeySpec?: string; NumberOfBytes?: number };
        const out = await crypto.generateDataKey(i.KeyId, dataKeyBytes(i), i.EncryptionContext);
        return { CiphertextBlob: b64(out.blob), Plaintext: b64(out.plaintext), KeyId: out.keyArn };
      },

      async GenerateDataKeyWithoutPlaintext(input) {
        const i = input as { KeyId: string; EncryptionContext?: Context; KeySpec?: string; NumberOfBytes?: number };
        const out = await crypto.generateDataKey(i.KeyId, dataKeyBytes(i), i.EncryptionContext);
        out.plaintext.fill(0);
        return { CiphertextBlob: b64(out.blob), KeyId: out.keyArn };
      },

      async ReEncrypt(input) {
        const i = input as { CiphertextBlob: Buffer; SourceEncryptionContext?: Context; SourceKeyId?: string; DestinationKeyId: string; DestinationEncryptionContext?: Context };
        const out = await crypto.reEncrypt(
          i.CiphertextBlob,
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
    },
  };
}
