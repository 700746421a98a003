/**
 * KMS keys and aliases: creation, lookup by any of KMS's names for a key, the state machine
 * (key-states.ts), and deletion when a key's waiting period has passed on the injected clock.
 * The default keys `aws/secretsmanager` and `aws/ssm` are made the first time they are named.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { KeyState, KmsAliasRecord, KmsKeyRecord, Tag } from '../../domain/kms.js';
import type { Clock } from '../../lib/clock.js';
import { KEY_BYTES } from '../../security/aead.js';
import type { MasterKey } from '../../security/master-key.js';
import type { DocumentRepo, Revisioned } from '../../storage/store.js';
import type { Account } from '../../wire/arn.js';
import { KmsErrors, ProtocolErrors } from '../../wire/errors.js';
import { nextKeyState, type KeyAction } from './key-states.js';

/** AWS managed keys Selfless makes on first use, by alias. */
export const DEFAULT_KEY_ALIASES: ReadonlySet<string> = new Set(['alias/aws/secretsmanager', 'alias/aws/ssm']);

const DAY_MS = 24 * 3600 * 1000;
const KEY_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ALIAS_NAME = /^alias\/[a-zA-Z0-9/_-]{1,250}$/;

export interface UsableKey {
  record: KmsKeyRecord;
  /** The key's 256-bit material, unwrapped. Never stored or logged. */
  material: Buffer;
}

export class KeyService {
  constructor(
    private readonly keys: DocumentRepo<KmsKeyRecord>,
    private readonly aliases: DocumentRepo<KmsAliasRecord>,
    private readonly master: MasterKey,
    private readonly clock: Clock,
    private readonly account: Account,
  ) {}

  keyArn = (keyId: string): string => `arn:aws:kms:${this.account.region}:${this.account.accountId}:key/${keyId}`;
  aliasArn = (name: string): string => `arn:aws:kms:${this.account.region}:${this.account.accountId}:${name}`;

  async create(input: { description?: string; tags?: Tag[]; manager?: 'CUSTOMER' | 'AWS' }): Promise<KmsKeyRecord> {
    const keyId = randomUUID();
    const record: KmsKeyRecord = {
      keyId,
      arn: this.keyArn(keyId),
      description: input.description ?? '',
      manager: input.manager ?? 'CUSTOMER',
      state: 'Enabled',
      createdAt: this.clock.now(),
      wrappedMaterial: this.master.wrap(randomBytes(KEY_BYTES), `kms-key:${keyId}`).toString('base64'),
      tags: input.tags ?? [],
    };
    await this.keys.create(keyId, record);
    return record;
  }

  /** The key a KeyId names: a key id, a key ARN, an alias name or an alias ARN. */
  async describe(keyRef: string): Promise<KmsKeyRecord> {
    return (await this.find(keyRef)).value;
  }

  /** The key, unwrapped, if its state lets it be used; KMS's error for its state otherwise. */
  async usable(keyRef: string): Promise<UsableKey> {
    const { value: record } = await this.find(keyRef);
    if (record.state === 'Disabled') throw KmsErrors.disabled(record.arn);
    if (record.state === 'PendingDeletion') throw KmsErrors.invalidState(`${record.arn} is pending deletion.`);
    return { record, material: this.master.unwrap(Buffer.from(record.wrappedMaterial, 'base64'), `kms-key:${record.keyId}`) };
  }

  async list(after: string | undefined, limit: number): Promise<KmsKeyRecord[]> {
    const page = await this.keys.list('', after, limit);
    const live: KmsKeyRecord[] = [];
    for (const k of page) if (!(await this.purgeIfDue(k))) live.push(k.value);
    return live;
  }

  async enable(keyRef: string): Promise<void> {
    await this.transition(keyRef, 'enable');
  }

  async disable(keyRef: string): Promise<void> {
    await this.transition(keyRef, 'disable');
  }

  async scheduleDeletion(keyRef: string, pendingWindowDays: number): Promise<KmsKeyRecord> {
    return this.transition(keyRef, 'scheduleDeletion', (r) => ({ ...r, deletionAt: this.clock.now() + pendingWindowDays * DAY_MS, pendingWindowDays }));
  }

  async cancelDeletion(keyRef: string): Promise<KmsKeyRecord> {
    return this.transition(keyRef, 'cancelDeletion', ({ deletionAt: _at, pendingWindowDays: _days, ...r }) => r);
  }

  /** A key's description or tags (UpdateKeyDescription, TagResource, UntagResource): not on AWS managed keys, nor on one pending deletion. */
  async configure(keyRef: string, change: (r: KmsKeyRecord) => KmsKeyRecord): Promise<KmsKeyRecord> {
    for (;;) {
      const found = await this.find(keyRef);
      const record = found.value;
      if (record.manager === 'AWS') throw KmsErrors.unsupportedOperation(`${record.arn} is an AWS managed key: it cannot be changed.`);
      if (record.state === 'PendingDeletion') throw KmsErrors.invalidState(invalidStateMessage(record.arn, record.state));
      const updated = change(record);
      if (await this.keys.update(record.keyId, updated, found.revision)) return updated;
    }
  }

  // --- aliases ---

  async createAlias(name: string, targetKeyRef: string): Promise<void> {
    checkAliasName(name);
    const target = await this.describe(targetKeyRef);
    const now = this.clock.now();
    if (!(await this.aliases.create(name, { name, keyId: target.keyId, createdAt: now, updatedAt: now }))) {
      throw KmsErrors.aliasExists(this.aliasArn(name));
    }
  }

  async updateAlias(name: string, targetKeyRef: string): Promise<void> {
    checkAliasName(name);
    const current = await this.aliases.get(name);
    if (!current) throw KmsErrors.notFound(`Alias ${this.aliasArn(name)} is not found.`);
    const target = await this.describe(targetKeyRef);
    await this.aliases.update(name, { ...current.value, keyId: target.keyId, updatedAt: this.clock.now() }, current.revision);
  }

  async deleteAlias(name: string): Promise<void> {
    checkAliasName(name);
    if (!(await this.aliases.delete(name))) throw KmsErrors.notFound(`Alias ${this.aliasArn(name)} is not found.`);
  }

  /** Aliases in name order, strictly after `after`; only those of one key when `keyRef` is given. */
  async listAliases(keyRef: string | undefined, after: string | undefined, limit: number): Promise<KmsAliasRecord[]> {
    const keyId = keyRef === undefined ? undefined : (await this.describe(keyRef)).keyId;
    const out: KmsAliasRecord[] = [];
    let cursor = after;
    // Filtering by key reads further than one page: aliases are few.
    while (out.length < limit) {
      const page = await this.aliases.list('alias/', cursor, limit);
      for (const a of page) if (keyId === undefined || a.value.keyId === keyId) out.push(a.value);
      if (page.length < limit) break;
      cursor = page[page.length - 1]!.value.name;
    }
    return out.slice(0, limit);
  }

  // --- internals ---

  private async transition(keyRef: string, action: KeyAction, change: (r: KmsKeyRecord) => KmsKeyRecord = (r) => r): Promise<KmsKeyRecord> {
    for (;;) {
      const found = await this.find(keyRef);
      const record = found.value;
      if (record.manager === 'AWS' && action !== 'enable') {
        throw KmsErrors.unsupportedOperation(`${record.arn} is an AWS managed key: its state cannot be changed.`);
      }
      const next = nextKeyState(record.state, action);
      if (next === undefined) throw KmsErrors.invalidState(invalidStateMessage(record.arn, record.state));
      const updated = { ...change(record), state: next };
      if (await this.keys.update(record.keyId, updated, found.revision)) return updated;
      // Changed by another request meanwhile: decide again on what it left.
    }
  }

  private async find(keyRef: string): Promise<Revisioned<KmsKeyRecord>> {
    const keyId = await this.keyIdOf(keyRef);
    const found = await this.keys.get(keyId);
    if (!found || (await this.purgeIfDue(found))) throw KmsErrors.notFound(`Key '${this.keyArn(keyId)}' does not exist`);
    return found;
  }

  private async keyIdOf(keyRef: string): Promise<string> {
    if (KEY_ID.test(keyRef)) return keyRef;
    const arn = /^arn:aws:kms:([^:]+):(\d{12}):(key\/.+|alias\/.+)$/.exec(keyRef);
    if (arn) {
      if (arn[1] !== this.account.region || arn[2] !== this.account.accountId) throw KmsErrors.notFound(`Invalid arn ${keyRef}`);
      return this.keyIdOf(arn[3]!.startsWith('key/') ? arn[3]!.slice(4) : arn[3]!);
    }
    if (keyRef.startsWith('alias/')) {
      const alias = (await this.aliases.get(keyRef))?.value ?? (DEFAULT_KEY_ALIASES.has(keyRef) ? await this.createDefaultKey(keyRef) : undefined);
      if (!alias) throw KmsErrors.notFound(`Alias ${this.aliasArn(keyRef)} is not found.`);
      return alias.keyId;
    }
    throw KmsErrors.notFound(`Invalid keyId '${keyRef}'`);
  }

  /** Two requests may race to make the same default key: the alias written first wins; the other key is dropped. */
  private async createDefaultKey(alias: string): Promise<KmsAliasRecord> {
    const key = await this.create({ description: `Default key that protects my ${alias.slice('alias/aws/'.length)} data when no other key is defined`, manager: 'AWS' });
    const now = this.clock.now();
    const record = { name: alias, keyId: key.keyId, createdAt: now, updatedAt: now };
    if (await this.aliases.create(alias, record)) return record;
    await this.keys.delete(key.keyId);
    return (await this.aliases.get(alias))!.value;
  }

  /** A key whose waiting period has passed is deleted, with its aliases; true if it was. */
  private async purgeIfDue(found: Revisioned<KmsKeyRecord>): Promise<boolean> {
    const { value } = found;
    if (value.state !== 'PendingDeletion' || value.deletionAt === undefined || value.deletionAt > this.clock.now()) return false;
    await this.keys.delete(value.keyId);
    for (const a of await this.aliases.list('alias/', undefined, 10_000)) if (a.value.keyId === value.keyId) await this.aliases.delete(a.value.name);
    return true;
  }
}

function checkAliasName(name: string): void {
  if (!ALIAS_NAME.test(name)) throw ProtocolErrors.validation(`1 validation error detected: Value '${name}' at 'aliasName' failed to satisfy constraint: Member must satisfy regular expression pattern: ^alias/[a-zA-Z0-9/_-]+$`);
  if (name.startsWith('alias/aws/')) throw KmsErrors.invalidAliasName(`Alias names that begin with 'alias/aws/' are reserved for AWS managed keys.`);
}

const invalidStateMessage = (arn: string, state: KeyState): string =>
  state === 'PendingDeletion' ? `${arn} is pending deletion.` : `${arn} is not pending deletion (current state: ${state}).`;
