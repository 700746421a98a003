/**
 * Change signals between nodes over PostgreSQL's LISTEN/NOTIFY: one listening connection per node,
 * and the keys published in one turn of the event loop sent as one NOTIFY per channel (split only
 * where PostgreSQL's 8000-byte payload limit requires). A node ignores its own signals. The channel
 * is named after the store's schema, so stores sharing a database never hear each other. When the
 * listening connection breaks it is opened again, and listeners are told that anything may have
 * changed (signals sent meanwhile are lost).
 */
import { createHash, randomUUID } from 'node:crypto';
import pg from 'pg';
import type { ChangeSignals, SignalListener } from '../change-signals.js';
import type { Db } from './db.js';

/** Below PostgreSQL's limit on a NOTIFY payload (8000 bytes). */
const MAX_PAYLOAD = 7000;
const RECONNECT_MS = 1000;

interface Wire {
  /** The publishing node's origin id. */
  o: string;
  c: string;
  k: string[];
}

export class PostgresChangeSignals implements ChangeSignals {
  private readonly origin = randomUUID();
  private readonly listeners = new Map<string, Set<SignalListener>>();
  private readonly pending = new Map<string, Set<string>>();
  private scheduled = false;
  private sending: Promise<void> = Promise.resolve();
  private client: pg.Client | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private closed = false;

  private constructor(
    private readonly db: Db,
    private readonly url: string,
    private readonly channel: string,
  ) {}

  /** Listens from the start: a failure to connect now is the store's failure to open. */
  static async open(db: Db, url: string): Promise<PostgresChangeSignals> {
    const { rows } = await db.query<{ schema: string }>('SELECT current_schema() AS schema');
    const channel = `selfless_${createHash('sha256').update(rows[0]?.schema ?? '').digest('hex').slice(0, 16)}`;
    const signals = new PostgresChangeSignals(db, url, channel);
    await signals.listen();
    return signals;
  }

  publish(channel: string, keys: Iterable<string>): void {
    if (this.closed) return;
    const set = this.pending.get(channel) ?? new Set<string>();
    for (const key of keys) set.add(key);
    if (set.size === 0) return;
    this.pending.set(channel, set);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.sending = this.sending.then(() => this.send());
    });
  }

  subscribe(channel: string, listener: SignalListener): () => void {
    const set = this.listeners.get(channel) ?? new Set<SignalListener>();
    set.add(listener);
    this.listeners.set(channel, set);
    return () => set.delete(listener);
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.reconnectTimer);
    await this.sending;
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  /** A hint only: a NOTIFY that fails is dropped (the waiters it would have woken wake at their deadline). */
  private async send(): Promise<void> {
    const batches = [...this.pending];
    this.pending.clear();
    for (const [channel, keys] of batches) {
      for (const payload of payloads(this.origin, channel, [...keys])) {
        await this.db.query('SELECT pg_notify($1, $2)', [this.channel, payload]).catch(() => undefined);
      }
    }
  }

  private async listen(): Promise<void> {
    const client = new pg.Client({ connectionString: this.url });
    client.on('notification', (msg) => this.receive(msg.payload));
    client.on('error', () => this.lost(client));
    client.on('end', () => this.lost(client));
    await client.connect();
    await client.query(`LISTEN ${this.channel}`);
    if (this.closed) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
  }

  private lost(client: pg.Client): void {
    if (this.closed || this.client !== client) return;
    this.client = undefined;
    client.end().catch(() => undefined);
    this.reconnect();
  }

  private reconnect(): void {
    this.reconnectTimer = setTimeout(() => {
      this.listen().then(
        () => this.tellAll(),
        () => this.reconnect(),
      );
    }, RECONNECT_MS);
    this.reconnectTimer.unref();
  }

  /** After signals may have been lost: every listener looks again. */
  private tellAll(): void {
    for (const set of this.listeners.values()) for (const listener of [...set]) listener(undefined);
  }

  /** A payload from the database, checked before it is believed. */
  private receive(payload: string | undefined): void {
    const wire = parse(payload);
    if (!wire || wire.o === this.origin) return;
    const set = this.listeners.get(wire.c);
    if (!set) return;
    for (const key of wire.k) for (const listener of [...set]) listener(key);
  }
}

function parse(payload: string | undefined): Wire | undefined {
  try {
    const v = JSON.parse(payload ?? '') as Partial<Wire>;
    if (typeof v.o !== 'string' || typeof v.c !== 'string' || !Array.isArray(v.k) || !v.k.every((k) => typeof k === 'string')) return undefined;
    return v as Wire;
  } catch {
    return undefined;
  }
}

/** The keys as few payloads as fit PostgreSQL's limit; a key too long for any is left out (its waiters wake at their deadline). */
function payloads(origin: string, channel: string, keys: string[]): string[] {
  const out: string[] = [];
  let batch: string[] = [];
  const encode = (k: string[]) => JSON.stringify({ o: origin, c: channel, k } satisfies Wire);
  for (const key of keys) {
    if (Buffer.byteLength(encode([...batch, key])) <= MAX_PAYLOAD) {
      batch.push(key);
      continue;
    }
    if (batch.length > 0) out.push(encode(batch));
    batch = Buffer.byteLength(encode([key])) <= MAX_PAYLOAD ? [key] : [];
  }
  if (batch.length > 0) out.push(encode(batch));
  return out;
}
