import type Database from 'better-sqlite3';
import { ArchiveRecordSchema, ReplayRecordSchema, type ArchivedEvent, type ArchiveRecord, type ReplayRecord } from '../../services/events/archive-model.js';
import type { EventArchiveRepo } from '../eventbridge-repo.js';

type Row = { record: string };

/** Archives and replays as validated JSON documents; archived events as rows ordered by their position. */
export class SqliteEventArchiveRepo implements EventArchiveRepo {
  private readonly stmts;
  private readonly append;
  private readonly drop;

  constructor(db: Database.Database) {
    this.stmts = {
      createArchive: db.prepare<[string, string, string]>('INSERT INTO event_archives (name, bus_name, record) VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING'),
      getArchive: db.prepare<[string], Row>('SELECT record FROM event_archives WHERE name = ?'),
      listArchives: db.prepare<[string, string, string | null, string | null, string, number], Row>(
        'SELECT record FROM event_archives WHERE substr(name, 1, length(?)) = ? AND (? IS NULL OR bus_name = ?) AND name > ? ORDER BY name LIMIT ?',
      ),
      updateArchive: db.prepare<[string, string]>('UPDATE event_archives SET record = ? WHERE name = ?'),
      deleteArchive: db.prepare<[string]>('DELETE FROM event_archives WHERE name = ?'),
      deleteEventsOf: db.prepare<[string]>('DELETE FROM archived_events WHERE archive_name = ?'),
      appendEvent: db.prepare<[string, number, number, string]>('INSERT INTO archived_events (archive_name, time, bytes, event) VALUES (?, ?, ?, ?)'),
      readEvents: db.prepare<[string, number, number, number, number], ArchivedEvent>(
        'SELECT seq, time, event FROM archived_events WHERE archive_name = ? AND time >= ? AND time < ? AND seq > ? ORDER BY seq LIMIT ?',
      ),
      usage: db.prepare<[string], { count: number; bytes: number | null }>('SELECT count(*) AS count, sum(bytes) AS bytes FROM archived_events WHERE archive_name = ?'),
      trim: db.prepare<[string, number]>('DELETE FROM archived_events WHERE archive_name = ? AND time < ?'),
      createReplay: db.prepare<[string, number, string]>('INSERT INTO event_replays (name, revision, record) VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING'),
      getReplay: db.prepare<[string], Row>('SELECT record FROM event_replays WHERE name = ?'),
      listReplays: db.prepare<[string, string, string, number], Row>(
        'SELECT record FROM event_replays WHERE substr(name, 1, length(?)) = ? AND name > ? ORDER BY name LIMIT ?',
      ),
      updateReplay: db.prepare<[number, string, string, number]>('UPDATE event_replays SET revision = ?, record = ? WHERE name = ? AND revision = ?'),
    };
    this.append = db.transaction((events: readonly { archiveName: string; time: number; event: string }[]) => {
      for (const e of events) this.stmts.appendEvent.run(e.archiveName, e.time, Buffer.byteLength(e.event, 'utf8'), e.event);
    });
    this.drop = db.transaction((name: string) => {
      this.stmts.deleteEventsOf.run(name);
      return this.stmts.deleteArchive.run(name).changes === 1;
    });
  }

  async createArchive(archive: ArchiveRecord): Promise<boolean> {
    return this.stmts.createArchive.run(archive.name, archive.busName, JSON.stringify(archive)).changes === 1;
  }

  async getArchive(name: string): Promise<ArchiveRecord | undefined> {
    const row = this.stmts.getArchive.get(name);
    return row ? ArchiveRecordSchema.parse(JSON.parse(row.record)) : undefined;
  }

  async listArchives(prefix: string, busName: string | undefined, after: string | undefined, limit: number): Promise<ArchiveRecord[]> {
    return this.stmts.listArchives.all(prefix, prefix, busName ?? null, busName ?? null, after ?? '', limit).map((r) => ArchiveRecordSchema.parse(JSON.parse(r.record)));
  }

  async updateArchive(archive: ArchiveRecord): Promise<boolean> {
    return this.stmts.updateArchive.run(JSON.stringify(archive), archive.name).changes === 1;
  }

  async deleteArchive(name: string): Promise<boolean> {
    return this.drop(name);
  }

  async appendEvents(events: readonly { archiveName: string; time: number; event: string }[]): Promise<void> {
    if (events.length > 0) this.append(events);
  }

  async readEvents(archiveName: string, from: number, to: number, afterSeq: number, limit: number): Promise<ArchivedEvent[]> {
    return this.stmts.readEvents.all(archiveName, from, to, afterSeq, limit);
  }

  async usage(archiveName: string): Promise<{ count: number; bytes: number }> {
    const row = this.stmts.usage.get(archiveName)!;
    return { count: row.count, bytes: row.bytes ?? 0 };
  }

  async trim(archiveName: string, before: number): Promise<number> {
    return this.stmts.trim.run(archiveName, before).changes;
  }

  async createReplay(replay: ReplayRecord): Promise<boolean> {
    return this.stmts.createReplay.run(replay.name, replay.revision, JSON.stringify(replay)).changes === 1;
  }

  async getReplay(name: string): Promise<ReplayRecord | undefined> {
    const row = this.stmts.getReplay.get(name);
    return row ? ReplayRecordSchema.parse(JSON.parse(row.record)) : undefined;
  }

  async listReplays(prefix: string, after: string | undefined, limit: number): Promise<ReplayRecord[]> {
    return this.stmts.listReplays.all(prefix, prefix, after ?? '', limit).map((r) => ReplayRecordSchema.parse(JSON.parse(r.record)));
  }

  async updateReplay(replay: ReplayRecord): Promise<boolean> {
    return this.stmts.updateReplay.run(replay.revision, JSON.stringify(replay), replay.name, replay.revision - 1).changes === 1;
  }
}
