/**
 * Secrets Manager's secrets: names and ARNs, versions and their staging labels (staging-labels.ts),
 * idempotency by ClientRequestToken, deletion with a recovery window (deletion.ts), tags. Values
 * are sealed before they reach the store (secret-values.ts) and opened only to answer a read.
 */
import { randomInt, randomUUID } from 'node:crypto';
import type { SecretRecord, SecretVersion } from '../../domain/secret.js';
import type { Tag } from '../../domain/kms.js';
import type { Clock } from '../../lib/clock.js';
import type { DocumentRepo, Revisioned } from '../../storage/store.js';
import type { Account } from '../../wire/arn.js';
import { SecretsManagerErrors } from '../../wire/errors.js';
import { nextSecretState, secretState, type DeletionAction } from './deletion.js';
import type { SecretValue, SecretValues } from './secret-values.js';
import { addVersion, CURRENT, moveStage, removeStage, versionWithStage } from './staging-labels.js';

const DAY_MS = 24 * 3600 * 1000;
const SUFFIX_CHARS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

export interface ReadValue {
  record: SecretRecord;
  version: SecretVersion;
  value: SecretValue;
}

export interface CreateInput {
  name: string;
  token?: string;
  description?: string;
  kmsKeyId?: string;
  value?: SecretValue;
  tags: Tag[];
}

export class SecretService {
  constructor(
    private readonly repo: DocumentRepo<SecretRecord>,
    private readonly values: SecretValues,
    private readonly clock: Clock,
    private readonly account: Account,
  ) {}

  async create(input: CreateInput): Promise<{ record: SecretRecord; versionId?: string }> {
    const existing = await this.repo.get(input.name);
    if (existing) {
      const state = secretState(existing.value, this.clock.now());
      if (state === 'PendingDeletion') {
        throw SecretsManagerErrors.invalidRequest("You can't create this secret because a secret with this name is already scheduled for deletion.");
      }
      if (state === 'Active') {
        // A retried CreateSecret with the same token and value succeeds again, as with Secrets Manager.
        const same = input.token !== undefined && input.value !== undefined && (await this.sameValue(existing.value, input.token, input.value));
        if (same) return { record: existing.value, versionId: input.token };
        throw SecretsManagerErrors.secretExists(input.name);
      }
      await this.repo.delete(input.name);
    }
    const now = this.clock.now();
    const arn = `arn:aws:secretsmanager:${this.account.region}:${this.account.accountId}:secret:${input.name}-${suffix()}`;
    const versionId = input.value !== undefined ? (input.token ?? randomUUID()) : undefined;
    const versions: SecretVersion[] = [];
    if (input.value !== undefined) {
      versions.push({ versionId: versionId!, createdAt: now, stages: [CURRENT], value: await this.values.seal(input.value, input.kmsKeyId, arn, versionId!) });
    }
    const record: SecretRecord = {
      name: input.name,
      arn,
      ...(input.description !== undefined ? { description: input.description } : {}),
      ...(input.kmsKeyId !== undefined ? { kmsKeyId: input.kmsKeyId } : {}),
      createdAt: now,
      lastChangedAt: now,
      tags: input.tags,
      rotation: { enabled: false },
      versions,
    };
    if (!(await this.repo.create(input.name, record))) throw SecretsManagerErrors.secretExists(input.name);
    return { record, ...(versionId !== undefined ? { versionId } : {}) };
  }

  /** The value of a version, by id or label (AWSCURRENT when neither is given). */
  async getValue(secretId: string, versionId?: string, stage?: string): Promise<ReadValue> {
    const found = await this.find(secretId);
    const record = found.value;
    if (secretState(record, this.clock.now()) !== 'Active') throw SecretsManagerErrors.markedForDeletion();
    const version = findVersion(record, versionId, stage ?? (versionId === undefined ? CURRENT : undefined));
    if (!version.value) throw SecretsManagerErrors.versionNotFound(versionId !== undefined ? 'VersionId' : 'staging label', versionId ?? stage ?? CURRENT);
    const value = await this.values.open(version.value, record.arn, version.versionId);
    // LastAccessedDate is a day, as in Secrets Manager: at most one write per secret and day. A
    // concurrent change wins over this bookkeeping, which the next read retries.
    const today = Math.floor(this.clock.now() / DAY_MS) * DAY_MS;
    if (record.lastAccessedAt !== today) await this.repo.update(record.name, { ...record, lastAccessedAt: today }, found.revision);
    return { record, version, value };
  }

  /** Stores a new version (AWSCURRENT unless `stages` say otherwise); a retry with the same token and value changes nothing. */
  async putValue(secretId: string, token: string | undefined, value: SecretValue, stages: readonly string[] = [CURRENT]): Promise<{ record: SecretRecord; version: SecretVersion }> {
    const versionId = token ?? randomUUID();
    let result: SecretVersion | undefined;
    const record = await this.mutate(secretId, async (r) => {
      const existing = r.versions.find((v) => v.versionId === versionId);
      if (existing?.value) {
        if (!(await this.sameValue(r, versionId, value))) throw SecretsManagerErrors.versionExists();
        result = existing;
        return r;
      }
      // A version a rotation created without a value (AWSPENDING) is filled in, keeping its labels.
      const sealed = await this.values.seal(value, r.kmsKeyId, r.arn, versionId);
      const version: SecretVersion = { versionId, createdAt: existing?.createdAt ?? this.clock.now(), stages: [], value: sealed };
      const versions = addVersion(r.versions, version, [...new Set([...(existing?.stages ?? []), ...stages])]);
      result = versions.find((v) => v.versionId === versionId)!;
      return { ...r, versions, lastChangedAt: this.clock.now() };
    });
    return { record, version: result! };
  }

  async update(secretId: string, change: { token?: string; description?: string; kmsKeyId?: string; value?: SecretValue }): Promise<{ record: SecretRecord; versionId?: string }> {
    let record = await this.mutate(secretId, async (r) => ({
      ...r,
      ...(change.description !== undefined ? { description: change.description } : {}),
      ...(change.kmsKeyId !== undefined ? { kmsKeyId: change.kmsKeyId } : {}),
      lastChangedAt: this.clock.now(),
    }));
    if (change.value === undefined) return { record };
    const put = await this.putValue(secretId, change.token, change.value);
    record = put.record;
    return { record, versionId: put.version.versionId };
  }

  async describe(secretId: string): Promise<SecretRecord> {
    return (await this.find(secretId)).value;
  }

  /** Every secret, in name order; those pending deletion only when asked. */
  async all(includePlannedDeletion: boolean): Promise<SecretRecord[]> {
    const now = this.clock.now();
    const out: SecretRecord[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await this.repo.list('', after, 500);
      for (const { value } of page) {
        const state = secretState(value, now);
        if (state === 'Active' || (state === 'PendingDeletion' && includePlannedDeletion)) out.push(value);
      }
      if (page.length < 500) return out;
      after = page[page.length - 1]!.value.name;
    }
  }

  async delete(secretId: string, opts: { recoveryWindowDays?: number; force: boolean }): Promise<SecretRecord> {
    if (opts.force && opts.recoveryWindowDays !== undefined) {
      throw SecretsManagerErrors.invalidParameter("You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.");
    }
    const days = opts.recoveryWindowDays ?? 30;
    if (days < 7 || days > 30) throw SecretsManagerErrors.invalidParameter('The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).');
    const found = await this.find(secretId);
    this.transition(found.value, opts.force ? 'force' : 'schedule');
    if (opts.force) {
      await this.repo.delete(found.value.name);
      return { ...found.value, deletedAt: this.clock.now() };
    }
    return this.mutate(secretId, async (r) => {
      this.transition(r, 'schedule');
      const now = this.clock.now();
      return { ...r, deletedAt: now, purgeAt: now + days * DAY_MS };
    });
  }

  async restore(secretId: string): Promise<SecretRecord> {
    return this.mutate(
      secretId,
      async (r) => {
        this.transition(r, 'restore');
        const { deletedAt: _deleted, purgeAt: _purge, ...restored } = r;
        return restored;
      },
      true,
    );
  }

  async tag(secretId: string, tags: Tag[]): Promise<void> {
    await this.mutate(secretId, async (r) => ({ ...r, tags: [...r.tags.filter((t) => !tags.some((n) => n.key === t.key)), ...tags] }), true);
  }

  async untag(secretId: string, keys: string[]): Promise<void> {
    await this.mutate(secretId, async (r) => ({ ...r, tags: r.tags.filter((t) => !keys.includes(t.key)) }), true);
  }

  /** Moves a label to `moveTo` and/or removes it from `removeFrom`, as UpdateSecretVersionStage. */
  async updateVersionStage(secretId: string, stage: string, removeFrom?: string, moveTo?: string): Promise<SecretRecord> {
    return this.mutate(secretId, async (r) => {
      for (const id of [removeFrom, moveTo]) if (id !== undefined && !r.versions.some((v) => v.versionId === id)) throw SecretsManagerErrors.versionNotFound('VersionId', id);
      const holder = versionWithStage(r.versions, stage);
      if (moveTo !== undefined && holder !== undefined && holder.versionId !== moveTo && holder.versionId !== removeFrom) {
        throw SecretsManagerErrors.invalidParameter(
          `The parameter RemoveFromVersionId can't be empty. Staging label ${stage} is currently attached to version ${holder.versionId}, so you must explicitly reference that version in RemoveFromVersionId.`,
        );
      }
      if (removeFrom !== undefined && holder?.versionId !== removeFrom) {
        throw SecretsManagerErrors.invalidParameter(`The staging label ${stage} is not attached to version ${removeFrom}.`);
      }
      if (moveTo === undefined && stage === CURRENT) {
        throw SecretsManagerErrors.invalidParameter("You can't remove the staging label AWSCURRENT from a version without moving it to another version.");
      }
      const versions = moveTo !== undefined ? moveStage(r.versions, stage, moveTo) : removeStage(r.versions, stage, removeFrom!);
      return { ...r, versions, lastChangedAt: this.clock.now() };
    });
  }

  /** Applies `change` to the secret with compare-and-set, retrying on a concurrent write. */
  async mutate(secretId: string, change: (r: SecretRecord) => Promise<SecretRecord>, evenIfDeleted = false): Promise<SecretRecord> {
    for (;;) {
      const found = await this.find(secretId);
      if (!evenIfDeleted && secretState(found.value, this.clock.now()) !== 'Active') throw SecretsManagerErrors.markedForDeletion();
      const next = await change(found.value);
      if (next === found.value || (await this.repo.update(found.value.name, next, found.revision))) return next;
    }
  }

  /** A secret by name, full ARN or partial ARN (without the random suffix); one whose recovery window passed is gone. */
  private async find(secretId: string): Promise<Revisioned<SecretRecord>> {
    const candidates = nameCandidates(secretId);
    for (const name of candidates) {
      const found = await this.repo.get(name);
      if (!found) continue;
      if (secretId.startsWith('arn:') && found.value.arn !== secretId && !secretId.endsWith(`:secret:${found.value.name}`)) continue;
      if (secretState(found.value, this.clock.now()) === 'Gone') {
        await this.repo.delete(found.value.name);
        break;
      }
      return found;
    }
    throw SecretsManagerErrors.secretNotFound();
  }

  private transition(record: SecretRecord, action: DeletionAction): void {
    const state = secretState(record, this.clock.now());
    if (nextSecretState(state, action) === undefined) {
      throw state === 'PendingDeletion' ? SecretsManagerErrors.markedForDeletion() : SecretsManagerErrors.invalidRequest(`You can't restore a secret that isn't scheduled for deletion.`);
    }
  }

  private async sameValue(record: SecretRecord, versionId: string, value: SecretValue): Promise<boolean> {
    const version = record.versions.find((v) => v.versionId === versionId);
    if (!version?.value) return false;
    const stored = await this.values.open(version.value, record.arn, versionId);
    if (stored.kind !== value.kind) return false;
    return stored.kind === 'string' ? stored.text === (value as { text: string }).text : stored.bytes.equals((value as { bytes: Buffer }).bytes);
  }
}

function findVersion(record: SecretRecord, versionId: string | undefined, stage: string | undefined): SecretVersion {
  const version = versionId !== undefined ? record.versions.find((v) => v.versionId === versionId) : versionWithStage(record.versions, stage!);
  if (!version) throw SecretsManagerErrors.versionNotFound(versionId !== undefined ? 'VersionId' : 'staging label', versionId ?? stage!);
  if (versionId !== undefined && stage !== undefined && !version.stages.includes(stage)) throw SecretsManagerErrors.versionNotFound('staging label', stage);
  return version;
}

/** The names a SecretId may stand for: itself, or from an ARN the name with and without its random suffix. */
function nameCandidates(secretId: string): string[] {
  const marker = secretId.startsWith('arn:') ? secretId.indexOf(':secret:') : -1;
  if (marker < 0) return [secretId];
  const rest = secretId.slice(marker + ':secret:'.length);
  const withoutSuffix = /^(.+)-[A-Za-z0-9]{6}$/.exec(rest)?.[1];
  return withoutSuffix !== undefined ? [withoutSuffix, rest] : [rest];
}

const suffix = () => Array.from({ length: 6 }, () => SUFFIX_CHARS[randomInt(SUFFIX_CHARS.length)]).join('');
