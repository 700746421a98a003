/** KMS's wire shapes for keys and aliases (timestamps in epoch seconds). */
import type { KmsAliasRecord, KmsKeyRecord, Tag } from '../../../domain/kms.js';
import type { Input } from '../../../api/service.js';

const seconds = (ms: number) => ms / 1000;

export const keyMetadata = (k: KmsKeyRecord, accountId: string): Input => ({
  AWSAccountId: accountId,
  KeyId: k.keyId,
  Arn: k.arn,
  CreationDate: seconds(k.createdAt),
  Enabled: k.state === 'Enabled',
  Description: k.description,
  KeyUsage: 'ENCRYPT_DECRYPT',
  KeyState: k.state,
  ...(k.deletionAt !== undefined ? { DeletionDate: seconds(k.deletionAt), PendingDeletionWindowInDays: k.pendingWindowDays } : {}),
  Origin: 'AWS_KMS',
  KeyManager: k.manager,
  CustomerMasterKeySpec: 'SYMMETRIC_DEFAULT',
  KeySpec: 'SYMMETRIC_DEFAULT',
  EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'],
  MultiRegion: false,
});

export const aliasEntry = (a: KmsAliasRecord, aliasArn: string): Input => ({
  AliasName: a.name,
  AliasArn: aliasArn,
  TargetKeyId: a.keyId,
  CreationDate: seconds(a.createdAt),
  LastUpdatedDate: seconds(a.updatedAt),
});

export const tagsIn = (tags: { TagKey: string; TagValue: string }[] | undefined): Tag[] => (tags ?? []).map((t) => ({ key: t.TagKey, value: t.TagValue }));

/** A page of a list, with KMS's Truncated/NextMarker: the marker is the last item's key. */
export function kmsPage<T>(items: T[], limit: number, markerOf: (t: T) => string): { page: T[]; Truncated: boolean; NextMarker?: string } {
  const page = items.slice(0, limit);
  const truncated = items.length > limit;
  return { page, Truncated: truncated, ...(truncated ? { NextMarker: markerOf(page[page.length - 1]!) } : {}) };
}
