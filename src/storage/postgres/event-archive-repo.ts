import { ArchiveRecordSchema, ReplayRecordSchema, type ArchivedEvent, type ArchiveRecord, type ReplayRecord } from '../../services/events/archive-model.js';
import type { EventArchiveRepo } from '../eventbridge-repo.js';
import { changed, transaction, type Db } from './db.js';

type Row = { record: string };

/** Archives and replays as validated JSON documents; archived events as rows ordered by their position. */
export class PostgresEventArchiveRepo implements EventArchiveRepo {
  constructor(private readonly db: Db) {}

  async createArchive(archive: ArchiveRecord): Promise<boolean> {
    const r = await this.db.query('INSERT INTO event_archives (name, bus_name, record) VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING', [
      archive.name,
      archive.busName,
      JSON.stringify(archive),
    ]);
    return changed(r) === 1;
  }

  async getArchive(name: string): Promise<ArchiveRecord | undefined> {
    const { rows } = await this.db.query<Row>('SELECT record FROM event_archives WHERE name = $1', [name]);
    return rows[0] ? ArchiveRecordSchema.parse(JSON.parse(rows[0].record)) : undefined;
  }

  async listArchives(prefix: string, busName: string | undefined, after: string | undefined, limit: number): Promise<ArchiveRecord[]> {
    const { rows } = await this.db.query<Row>(
      'SELECT record FROM event_archives WHERE starts_with(name, $1) AND ($2::text IS NULL OR bus_name = $2) AND name > $3 ORDER BY name LIMIT $4',
      [prefix, busName ?? null, after ?? '', limit],
    );
    return rows.map((r) => ArchiveRecordSchema.parse(JSON.parse(r.record)));
  }

  async updateArchive(archive: ArchiveRecord): Promise<boolean> {
    return changed(await this.db.query('UPDATE event_archives SET record = $1 WHERE name = $2', [JSON.stringify(archive), archive.name])) === 1;
  }

  async deleteArchive(name: string): Promise<boolean> {
    return transaction(this.db, async (tx) => {
      await tx.query('DELETE FROM archived_events WHERE archive_name = $1', [name]);
      return changed(await tx.query('DELETE FROM event_archives WHERE name = $1', [name])) === 1;
    });
  }

  async appendEvents(events: readonly { archiveName: string; time: number; event: string }[]): Promise<void> {
    if (events.length === 0) return;
    await this.db.query(
      'INSERT INTO archived_events (archive_name, time, bytes, event) SELECT * FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::text[])',
      [events.map((e) => e.archiveName), events.map((e) => e.time), events.map((e) => Buffer.byteLength(e.event, 'utf8')), events.map((e) => e.event)],
    );
  }

  async readEvents(archiveName: string, from: number, to: number, afterSeq: number, limit: number): Promise<ArchivedEvent[]> {
    const { rows } = await this.db.query<ArchivedEvent>(
      'SELECT seq, time, event FROM archived_events WHERE archive_name = $1 AND time >= $2 AND time < $3 AND seq > $4 ORDER BY seq LIMIT $5',
      [archiveName, from, to, afterSeq, limit],
    );
    return rows;
  }

  async usage(archiveName: string): Promise<{ count: number; bytes: number }> {
    const { rows } = await this.db.query<{ count: number; bytes: number | null }>(
      'SELECT count(*)::bigint AS count, sum(bytes)::bigint AS bytes FROM archived_events WHERE archive_name = $1',
      [archiveName],
    );
    return { count: rows[0]!.count, bytes: rows[0]!.bytes ?? 0 };
  }

  async trim(archiveName: string, before: number): Promise<number> {
    return changed(await this.db.query('DELETE FROM archived_events WHERE archive_name = $1 AND time < $2', [archiveName, before]));
  }

  async createReplay(replay: ReplayRecord): Promise<boolean> {
    const r = await this.db.query('INSERT INTO event_replays (name, revision, record) VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING', [
      replay.name,
      replay.revision,
      JSON.stringify(replay),
    ]);
    return changed(r) === 1;
  }

  async getReplay(name: string): Promise<ReplayRecord | undefined> {
    const { rows } = await this.db.query<Row>('SELECT record FROM event_replays WHERE name = $1', [name]);
    return rows[0] ? ReplayRecordSchema.parse(JSON.parse(rows[0].record)) : undefined;
  }

  async listReplays(prefix: string, after: string | undefined, limit: number): Promise<ReplayRecord[]> {
    const { rows } = await this.db.query<Row>('SELECT record FROM event_replays WHERE starts_with(name, $1) AND name > $2 ORDER BY name LIMIT $3', [
      prefix,
      after ?? '',
      limit,
    ]);
    return rows.map((r) => ReplayRecordSchema.parse(JSON.parse(r.record)));
  }

  async updateReplay(replay: ReplayRecord): Promise<boolean> {
    const r = await this.db.query('UPDATE event_replays SET revision = $1, record = $2 WHERE name = $3 AND revision = $4', [
      replay.revision,
      JSON.stringify(replay),
      replay.name,
      replay.revision - 1,
    ]);
    return changed(r) === 1;
  }
}
