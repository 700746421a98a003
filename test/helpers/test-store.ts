/**
 * The store a test runs against, chosen by the environment: SELFLESS_TEST_STORE=sqlite (the default)
 * or postgres, with SELFLESS_TEST_POSTGRES_URL naming a database the tests may create schemas in.
 * Each store is fresh: a new data dir, or a new PostgreSQL schema dropped afterwards.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, beforeEach } from 'node:test';
import pg from 'pg';
import { openPostgresStore } from '../../src/storage/postgres/postgres-store.js';
import { openSqliteStore } from '../../src/storage/sqlite/sqlite-store.js';
import type { Store } from '../../src/storage/store.js';

export type TestStoreKind = 'sqlite' | 'postgres';

export function testStoreKind(): TestStoreKind {
  const kind = process.env['SELFLESS_TEST_STORE'] ?? 'sqlite';
  if (kind !== 'sqlite' && kind !== 'postgres') throw new Error(`SELFLESS_TEST_STORE must be sqlite or postgres, not '${kind}'`);
  return kind;
}

export function postgresUrl(): string {
  const url = process.env['SELFLESS_TEST_POSTGRES_URL'];
  if (!url) throw new Error('SELFLESS_TEST_STORE=postgres needs SELFLESS_TEST_POSTGRES_URL=postgres://user:pass@host/db');
  return url;
}

/** A schema of its own in the test database, and a URL whose connections use it. */
export interface TestSchema {
  url: string;
  drop(): Promise<void>;
}

/**
 * Creates (if missing) the schema named after `key`, so that a server restarted on the same data dir
 * finds its rows again; a random key gives a fresh schema.
 */
export async function testSchema(key: string = `${process.pid}-${Math.random()}`): Promise<TestSchema> {
  const base = postgresUrl();
  const name = `t_${createHash('sha256').update(key).digest('hex').slice(0, 20)}`;
  await admin(base, `CREATE SCHEMA IF NOT EXISTS ${name}`);
  const url = new URL(base);
  // Tests need no durability: commits that do not wait for the disk keep the suite fast.
  url.searchParams.set('options', `-c search_path=${name} -c synchronous_commit=off`);
  return { url: url.toString(), drop: () => admin(base, `DROP SCHEMA IF EXISTS ${name} CASCADE`) };
}

async function admin(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export interface TestStore {
  kind: TestStoreKind;
  store: Store;
  /** Opens a second store on the same data (another node, for PostgreSQL). */
  openAnother(): Promise<Store>;
  /** Closes every store opened and deletes their data. */
  dispose(): Promise<void>;
}

export async function openTestStore(): Promise<TestStore> {
  const kind = testStoreKind();
  const opened: Store[] = [];
  const track = (s: Store): Store => (opened.push(s), s);
  const closeAll = () => Promise.all(opened.map((s) => s.close()));
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'selfless-store-'));
    return {
      kind,
      store: track(openSqliteStore(dir)),
      openAnother: async () => track(openSqliteStore(dir)),
      async dispose() {
        await closeAll();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const schema = await testSchema();
  return {
    kind,
    store: track(await openPostgresStore(schema.url)),
    openAnother: async () => track(await openPostgresStore(schema.url)),
    async dispose() {
      await closeAll();
      await schema.drop();
    },
  };
}

/**
 * A fresh store for each test of the enclosing suite. Each is disposed in the background while the
 * next test runs (dropping a schema takes a while), and the suite waits for every disposal at its end.
 */
export function useTestStore(): () => TestStore {
  let current: TestStore | undefined;
  const disposals: Promise<void>[] = [];
  beforeEach(async () => {
    current = await openTestStore();
  });
  afterEach(() => {
    if (current) disposals.push(current.dispose());
    current = undefined;
  });
  after(async () => {
    await Promise.all(disposals);
  });
  return () => {
    if (!current) throw new Error('no test store: call inside a test');
    return current;
  };
}
