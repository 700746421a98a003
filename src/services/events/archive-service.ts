/**
 * EventBridge archives: each keeps the events of one bus that match its pattern (all of them without
 * one), for later replay. Replayed events are not archived again. Events past an archive's retention
 * are dropped when the archive is next read (described or replayed).
 */
import { matchesPattern } from '../../event-sources/filter-pattern.js';
import type { Clock } from '../../lib/clock.js';
import type { EventArchiveRepo } from '../../storage/store.js';
import { EventsErrors, ProtocolErrors } from '../../wire/errors.js';
import type { ArchiveRecord } from './archive-model.js';
import type { BusService } from './bus-service.js';
import type { EventEnvelope } from './model.js';
import { decodePageToken, encodePageToken, type Page } from './paging.js';
import type { RuleService } from './rule-service.js';

const ARCHIVE_NAME = /^[.\-_A-Za-z0-9]{1,48}$/;
const DAY_MS = 86_400_000;

export interface ArchiveSpec {
  name: string;
  busName: string;
  eventPattern?: string | undefined;
  description?: string | undefined;
  retentionDays?: number | undefined;
}

export interface ArchiveView {
  archive: ArchiveRecord;
  eventCount: number;
  sizeBytes: number;
}

export class ArchiveService {
  constructor(
    private readonly repo: EventArchiveRepo,
    private readonly buses: BusService,
    /** Compiles and caches patterns, as rules do. */
    private readonly rules: RuleService,
    private readonly clock: Clock,
  ) {}

  async create(spec: ArchiveSpec): Promise<ArchiveRecord> {
    if (!ARCHIVE_NAME.test(spec.name)) throw ProtocolErrors.validation(`Archive name ${spec.name} is not valid.`);
    if (spec.eventPattern !== undefined) this.rules.pattern(spec.eventPattern);
    await this.buses.get(spec.busName);
    const archive: ArchiveRecord = {
      name: spec.name,
      busName: spec.busName,
      retentionDays: spec.retentionDays ?? 0,
      createdAt: this.clock.now(),
      ...(spec.eventPattern !== undefined ? { eventPattern: spec.eventPattern } : {}),
      ...(spec.description !== undefined ? { description: spec.description } : {}),
    };
    if (!(await this.repo.createArchive(archive))) throw EventsErrors.resourceAlreadyExists(`Archive ${spec.name} already exists.`);
    return archive;
  }

  async get(name: string): Promise<ArchiveRecord> {
    const archive = await this.repo.getArchive(name);
    if (!archive) throw EventsErrors.resourceNotFound(`Archive ${name} does not exist.`);
    return archive;
  }

  /** The archive with what it holds now, after dropping events past its retention. */
  async describe(name: string): Promise<ArchiveView> {
    const archive = await this.get(name);
    await this.expire(archive);
    const usage = await this.repo.usage(name);
    return { archive, eventCount: usage.count, sizeBytes: usage.bytes };
  }

  async list(prefix: string, busName: string | undefined, limit: number | undefined, token: string | undefined): Promise<Page<ArchiveRecord>> {
    const size = limit ?? 100;
    const items = await this.repo.listArchives(prefix, busName, decodePageToken(token), size + 1);
    return { items: items.slice(0, size), nextToken: items.length > size ? encodePageToken(items[size - 1]!.name) : undefined };
  }

  /** What UpdateArchive leaves out stays as it was. */
  async update(name: string, changes: Omit<ArchiveSpec, 'name' | 'busName'>): Promise<ArchiveRecord> {
    if (changes.eventPattern !== undefined) this.rules.pattern(changes.eventPattern);
    const current = await this.get(name);
    const next: ArchiveRecord = {
      ...current,
      ...(changes.eventPattern !== undefined ? { eventPattern: changes.eventPattern } : {}),
      ...(changes.description !== undefined ? { description: changes.description } : {}),
      ...(changes.retentionDays !== undefined ? { retentionDays: changes.retentionDays } : {}),
    };
    if (!(await this.repo.updateArchive(next))) throw EventsErrors.resourceNotFound(`Archive ${name} does not exist.`);
    return next;
  }

  async delete(name: string): Promise<void> {
    if (!(await this.repo.deleteArchive(name))) throw EventsErrors.resourceNotFound(`Archive ${name} does not exist.`);
  }

  /** Keeps the events each archive of the bus wants; replayed events are never archived again. */
  async keep(busName: string, events: readonly EventEnvelope[]): Promise<void> {
    const fresh = events.filter((e) => !('replay-name' in e));
    if (fresh.length === 0) return;
    const archives = await this.repo.listArchives('', busName, undefined, 1000);
    if (archives.length === 0) return;
    const rows: { archiveName: string; time: number; event: string }[] = [];
    for (const archive of archives) {
      const pattern = archive.eventPattern === undefined ? undefined : this.rules.pattern(archive.eventPattern);
      for (const event of fresh) {
        if (pattern && !matchesPattern(pattern, event)) continue;
        rows.push({ archiveName: archive.name, time: Date.parse(event.time), event: JSON.stringify(event) });
      }
    }
    await this.repo.appendEvents(rows);
  }

  /** Drops events past the archive's retention (none when it keeps them indefinitely). */
  async expire(archive: ArchiveRecord): Promise<void> {
    if (archive.retentionDays > 0) await this.repo.trim(archive.name, this.clock.now() - archive.retentionDays * DAY_MS);
  }
}
