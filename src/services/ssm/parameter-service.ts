/**
 * SSM Parameter Store: parameters with up to 100 versions, labels, selectors and hierarchies.
 * SecureString values are encrypted with KMS (default `aws/ssm`) before they reach the store, bound
 * to the parameter's ARN by the encryption context, as SSM does, and decrypted only when asked.
 */
import type { Tag } from '../../domain/kms.js';
import type { ParameterRecord, ParameterType, ParameterVersion } from '../../domain/parameter.js';
import type { CryptoService } from '../kms/crypto-service.js';
import type { Clock } from '../../lib/clock.js';
import type { DocumentRepo } from '../../storage/store.js';
import type { Account } from '../../wire/arn.js';
import { AwsError, KmsErrors, SsmErrors, type ErrorKind } from '../../wire/errors.js';
import { checkName, isValidLabel, parseSelector, underPath, type Selector } from './names.js';
import { matchesFilters, type ParameterFilter } from './parameter-filters.js';

export const DEFAULT_PARAMETER_KEY = 'alias/aws/ssm';
const MAX_VERSIONS = 100;
const MAX_LABELS = 10;

export interface PutInput {
  name: string;
  value: string;
  type?: ParameterType;
  keyId?: string;
  overwrite: boolean;
  description?: string;
  allowedPattern?: string;
  tier?: 'Standard' | 'Advanced' | 'Intelligent-Tiering';
  dataType?: string;
  tags: Tag[];
  modifiedBy: string;
}

/** A version as a caller sees it: the value in clear only when decrypted. */
export interface ReadParameter {
  record: ParameterRecord;
  version: ParameterVersion;
  value: string;
  selector?: string;
}

export class ParameterService {
  constructor(
    private readonly repo: DocumentRepo<ParameterRecord>,
    private readonly crypto: CryptoService,
    private readonly clock: Clock,
    private readonly account: Account,
  ) {}

  arn = (name: string): string => `arn:aws:ssm:${this.account.region}:${this.account.accountId}:parameter${name.startsWith('/') ? '' : '/'}${name}`;

  async put(input: PutInput): Promise<ParameterVersion> {
    checkName(input.name);
    if (input.allowedPattern !== undefined) checkPattern(input.allowedPattern, input.value);
    for (;;) {
      const found = await this.repo.get(input.name);
      if (found && !input.overwrite) throw SsmErrors.parameterExists();
      if (found && input.tags.length > 0) throw SsmErrors.validation('Invalid request: tags and overwrite can\'t be used together. To create a parameter with tags, please remove overwrite flag. To update tags for an existing parameter, please use AddTagsToResource or RemoveTagsFromResource.');
      const previous = found?.value.versions[found.value.versions.length - 1];
      const type = input.type ?? previous?.type;
      if (type === undefined) throw SsmErrors.validation('A parameter type is required when you create a parameter.');
      const encrypted = type === 'SecureString' ? (await this.crypto.encrypt(input.keyId ?? previous?.keyId ?? DEFAULT_PARAMETER_KEY, Buffer.from(input.value), this.context(input.name)).catch(invalidKey)) : undefined;
      const version: ParameterVersion = {
        version: (previous?.version ?? 0) + 1,
        type,
        value: encrypted ? encrypted.blob.toString('base64') : input.value,
        ...(encrypted ? { keyId: encrypted.keyArn } : {}),
        ...(input.description !== undefined || previous?.description !== undefined ? { description: input.description ?? previous!.description! } : {}),
        ...(input.allowedPattern !== undefined ? { allowedPattern: input.allowedPattern } : {}),
        tier: input.tier ?? previous?.tier ?? 'Standard',
        dataType: input.dataType ?? previous?.dataType ?? 'text',
        labels: [],
        modifiedAt: this.clock.now(),
        modifiedBy: input.modifiedBy,
      };
      if (!found) {
        if (await this.repo.create(input.name, { name: input.name, tags: input.tags, versions: [version] })) return version;
        continue;
      }
      let versions = [...found.value.versions, version];
      if (versions.length > MAX_VERSIONS) {
        if (versions[0]!.labels.length > 0) {
          throw SsmErrors.maxVersionLimitExceeded(`You attempted to create a new version of ${input.name} by calling the PutParameter API with the overwrite flag. Version ${versions[0]!.version}, the oldest version, can't be deleted because it has a label associated with it. Move the label to another version of the parameter, and try again.`);
        }
        versions = versions.slice(1);
      }
      if (await this.repo.update(input.name, { ...found.value, versions }, found.revision)) return version;
    }
  }

  /** One parameter by `name`, `name:version` or `name:label`. */
  async get(raw: string, decrypt: boolean): Promise<ReadParameter> {
    const { name, selector } = parseSelector(raw);
    const record = (await this.repo.get(name))?.value;
    if (!record) throw SsmErrors.parameterNotFound(raw);
    const version = pick(record, selector);
    return { record, version, value: await this.valueOf(record, version, decrypt), ...(selector.kind !== 'latest' ? { selector: selector.text } : {}) };
  }

  /** Several at once: those that cannot be found (or whose version or label does not exist) are named apart. */
  async getMany(names: readonly string[], decrypt: boolean): Promise<{ found: ReadParameter[]; invalid: string[] }> {
    const found: ReadParameter[] = [];
    const invalid: string[] = [];
    for (const raw of new Set(names)) {
      try {
        found.push(await this.get(raw, decrypt));
      } catch (err) {
        if (!(err instanceof AwsError) || (err.kind !== SsmErrors.parameterNotFound.kind && err.kind !== SsmErrors.versionNotFound.kind)) throw err;
        invalid.push(raw);
      }
    }
    return { found, invalid };
  }

  /** Parameters under a path, in name order, latest versions. */
  async byPath(path: string, recursive: boolean, filters: readonly ParameterFilter[], decrypt: boolean): Promise<ReadParameter[]> {
    const prefix = path.endsWith('/') ? path : `${path}/`;
    const out: ReadParameter[] = [];
    for (const record of await this.all(prefix)) {
      if (!underPath(record.name, path, recursive) || !matchesFilters(record, filters)) continue;
      const version = record.versions[record.versions.length - 1]!;
      out.push({ record, version, value: await this.valueOf(record, version, decrypt) });
    }
    return out;
  }

  async history(name: string, decrypt: boolean): Promise<ReadParameter[]> {
    const record = (await this.repo.get(name))?.value;
    if (!record) throw SsmErrors.parameterNotFound(name);
    return Promise.all(record.versions.map(async (version) => ({ record, version, value: await this.valueOf(record, version, decrypt) })));
  }

  /** Every parameter's latest state, in name order, that the filters keep. */
  async describe(filters: readonly ParameterFilter[]): Promise<ParameterRecord[]> {
    return (await this.all('')).filter((r) => matchesFilters(r, filters));
  }

  /** Puts labels on a version (the latest when none is named), moving them off any other version. */
  async label(name: string, versionNumber: number | undefined, labels: readonly string[]): Promise<{ version: number; invalid: string[] }> {
    const invalid = labels.filter((l) => !isValidLabel(l));
    const valid = labels.filter((l) => isValidLabel(l));
    for (;;) {
      const found = await this.repo.get(name);
      if (!found) throw SsmErrors.parameterNotFound(name);
      const target = versionNumber ?? found.value.versions[found.value.versions.length - 1]!.version;
      const at = found.value.versions.find((v) => v.version === target);
      if (!at) throw SsmErrors.versionNotFound(name, String(target));
      if (new Set([...at.labels, ...valid]).size > MAX_LABELS) throw SsmErrors.labelLimitExceeded();
      const versions = found.value.versions.map((v) =>
        v.version === target ? { ...v, labels: [...new Set([...v.labels, ...valid])] } : { ...v, labels: v.labels.filter((l) => !valid.includes(l)) },
      );
      if (await this.repo.update(name, { ...found.value, versions }, found.revision)) return { version: target, invalid };
    }
  }

  /** Takes labels off one version; those it does not carry are reported back. */
  async unlabel(name: string, versionNumber: number, labels: readonly string[]): Promise<{ removed: string[]; invalid: string[] }> {
    for (;;) {
      const found = await this.repo.get(name);
      if (!found) throw SsmErrors.parameterNotFound(name);
      const at = found.value.versions.find((v) => v.version === versionNumber);
      if (!at) throw SsmErrors.versionNotFound(name, String(versionNumber));
      const removed = labels.filter((l) => at.labels.includes(l));
      const invalid = labels.filter((l) => !at.labels.includes(l));
      const versions = found.value.versions.map((v) => (v === at ? { ...v, labels: v.labels.filter((l) => !removed.includes(l)) } : v));
      if (removed.length === 0 || (await this.repo.update(name, { ...found.value, versions }, found.revision))) return { removed, invalid };
    }
  }

  /** A parameter's tags (AddTagsToResource, RemoveTagsFromResource); a key given again takes the new value. */
  async tag(name: string, add: readonly Tag[], remove: readonly string[]): Promise<Tag[]> {
    for (;;) {
      const found = await this.repo.get(name);
      if (!found) throw SsmErrors.invalidResourceId();
      const tags = [...found.value.tags.filter((t) => !remove.includes(t.key) && !add.some((a) => a.key === t.key)), ...add];
      // Parameter Store allows 50 tags on a parameter.
      if (tags.length > 50) throw SsmErrors.tooManyTags();
      if (add.length === 0 && remove.length === 0) return tags;
      if (await this.repo.update(name, { ...found.value, tags }, found.revision)) return tags;
    }
  }

  async delete(name: string): Promise<void> {
    if (!(await this.repo.delete(name))) throw SsmErrors.parameterNotFound(name);
  }

  async deleteMany(names: readonly string[]): Promise<{ deleted: string[]; invalid: string[] }> {
    const deleted: string[] = [];
    const invalid: string[] = [];
    for (const name of new Set(names)) ((await this.repo.delete(name)) ? deleted : invalid).push(name);
    return { deleted, invalid };
  }

  private async all(prefix: string): Promise<ParameterRecord[]> {
    const out: ParameterRecord[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await this.repo.list(prefix, after, 500);
      out.push(...page.map((p) => p.value));
      if (page.length < 500) return out;
      after = page[page.length - 1]!.value.name;
    }
  }

  private context = (name: string) => ({ PARAMETER_ARN: this.arn(name) });

  private async valueOf(record: ParameterRecord, version: ParameterVersion, decrypt: boolean): Promise<string> {
    if (version.type !== 'SecureString' || !decrypt) return version.value;
    const { plaintext } = await this.crypto.decrypt(Buffer.from(version.value, 'base64'), this.context(record.name)).catch(invalidKey);
    return plaintext.toString('utf8');
  }
}

function pick(record: ParameterRecord, selector: Selector): ParameterVersion {
  const versions = record.versions;
  if (selector.kind === 'latest') return versions[versions.length - 1]!;
  const found = selector.kind === 'version' ? versions.find((v) => v.version === selector.version) : versions.find((v) => v.labels.includes(selector.label));
  if (!found) throw SsmErrors.versionNotFound(record.name, selector.kind === 'version' ? String(selector.version) : selector.label);
  return found;
}

function checkPattern(pattern: string, value: string): void {
  let re: RegExp;
  try {
    re = new RegExp(pattern);
  } catch {
    throw SsmErrors.invalidAllowedPattern(`The allowed pattern ${pattern} is not a valid regular expression.`);
  }
  if (!re.test(value)) throw SsmErrors.patternMismatch(pattern);
}

const KEY_REFUSALS: ReadonlySet<ErrorKind> = new Set([KmsErrors.notFound.kind, KmsErrors.disabled.kind, KmsErrors.invalidState.kind]);

/** KMS's refusals (a missing, disabled or deleted key) reach SSM's callers as InvalidKeyId. */
function invalidKey(err: unknown): never {
  if (err instanceof AwsError && KEY_REFUSALS.has(err.kind)) {
    throw SsmErrors.invalidKeyId(err.message);
  }
  throw err;
}
