// What PostgreSQL was doing during a benchmark phase, sampled once a second on a connection of its own:
// - the plan of a query the phase depends on (EXPLAIN (ANALYZE, BUFFERS) inside a transaction rolled back),
//   with the buffers it touched and its time: a plan that changes mid-phase, or buffers that grow, show here;
// - the xmin horizon (the oldest snapshot a session holds; dead rows behind it stay in every index scan's way);
// - what active sessions wait on (none: on the CPU);
// - the table's dead and live rows and the autovacuum and autoanalyze runs it had during the phase.
import pg from 'pg';

const median = (xs) => (xs.length === 0 ? undefined : [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]);

/** The plan's node types, outermost first (`Limit > LockRows > Index Scan queue_messages_ready`), and its buffers. */
function planOf(json) {
  const root = json[0];
  const shape = [];
  for (let node = root.Plan; node; node = node.Plans?.[0]) shape.push(node['Index Name'] ? `${node['Node Type']} ${node['Index Name']}` : node['Node Type']);
  const buffers = (root.Plan['Shared Hit Blocks'] ?? 0) + (root.Plan['Shared Read Blocks'] ?? 0);
  return { shape: shape.join(' > '), buffers, ms: root['Execution Time'] };
}

/**
 * Starts sampling; `query` () => [text, params] gives the query to explain (read when each sample is taken),
 * `table` the table (in `url`'s search_path) whose rows and vacuums to report. `stop()` resolves with a summary.
 */
export async function watchPostgres(url, { query, table, everyMs = 1000 }) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  await client.connect();
  const tableStats = async () => {
    const { rows } = await client.query(
      `SELECT n_live_tup::int AS live, n_dead_tup::int AS dead, autovacuum_count::int AS autovacuums, autoanalyze_count::int AS autoanalyzes
         FROM pg_stat_user_tables WHERE relid = to_regclass($1)`,
      [table],
    );
    return rows[0] ?? {};
  };
  const before = await tableStats();
  const samples = [];
  let running = true;
  const sample = async () => {
    const s = {};
    const { rows: [h] } = await client.query(
      `SELECT COALESCE(max(age(backend_xmin)), 0)::int AS "xminAge",
              COALESCE(max(EXTRACT(EPOCH FROM now() - xact_start)) FILTER (WHERE backend_xmin IS NOT NULL), 0)::float AS "oldestSnapshotSeconds"
         FROM pg_stat_activity WHERE pid <> pg_backend_pid()`,
    );
    Object.assign(s, h);
    const { rows: waits } = await client.query(
      `SELECT COALESCE(wait_event_type || ':' || wait_event, 'CPU') AS w, left(regexp_replace(query, '\\s+', ' ', 'g'), 90) AS q, count(*)::int AS n
         FROM pg_stat_activity WHERE state = 'active' AND pid <> pg_backend_pid() AND backend_type = 'client backend' GROUP BY 1, 2`,
    );
    s.waits = {};
    s.queries = {};
    for (const r of waits) {
      s.waits[r.w] = (s.waits[r.w] ?? 0) + r.n;
      s.queries[r.q] = (s.queries[r.q] ?? 0) + r.n;
    }
    const [text, params] = query();
    await client.query('BEGIN');
    try {
      const { rows } = await client.query(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${text}`, params);
      s.plan = planOf(rows[0]['QUERY PLAN']);
    } finally {
      await client.query('ROLLBACK');
    }
    samples.push(s);
  };
  const loop = (async () => {
    while (running) {
      const t0 = Date.now();
      try {
        await sample();
      } catch (err) {
        samples.push({ error: String(err?.message ?? err) });
      }
      await new Promise((r) => setTimeout(r, Math.max(0, everyMs - (Date.now() - t0))));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      const after = await tableStats();
      await client.end();
      const ok = samples.filter((s) => !s.error);
      const shapes = {};
      for (const s of ok) shapes[s.plan.shape] = (shapes[s.plan.shape] ?? 0) + 1;
      const waits = {};
      for (const s of ok) for (const [w, n] of Object.entries(s.waits)) waits[w] = (waits[w] ?? 0) + n;
      const queries = {};
      for (const s of ok) for (const [q, n] of Object.entries(s.queries)) queries[q] = (queries[q] ?? 0) + n;
      return {
        samples: ok.length,
        errors: samples.length - ok.length,
        plans: shapes,
        buffers: { median: median(ok.map((s) => s.plan.buffers)), max: Math.max(0, ...ok.map((s) => s.plan.buffers)) },
        planMs: { median: median(ok.map((s) => s.plan.ms)), max: Math.max(0, ...ok.map((s) => s.plan.ms)) },
        xminAgeMax: Math.max(0, ...ok.map((s) => s.xminAge)),
        oldestSnapshotSecondsMax: Math.max(0, ...ok.map((s) => s.oldestSnapshotSeconds)),
        waits,
        queries,
        table: {
          liveAtEnd: after.live,
          deadAtStart: before.dead,
          deadAtEnd: after.dead,
          autovacuums: (after.autovacuums ?? 0) - (before.autovacuums ?? 0),
          autoanalyzes: (after.autoanalyzes ?? 0) - (before.autoanalyzes ?? 0),
        },
      };
    },
  };
}

/** One line of a watch's summary, for a report. */
export function describeWatch(w) {
  const plans = Object.entries(w.plans).map(([p, n]) => `${p} (${n}×)`).join('; ');
  const waits = Object.entries(w.waits).sort((a, b) => b[1] - a[1]).slice(0, 4).map(([k, n]) => `${k} ${n}`).join(', ');
  const queries = Object.entries(w.queries).sort((a, b) => b[1] - a[1]).slice(0, 3).map(([q, n]) => `${n}× "${q}"`).join(', ');
  return `plan ${plans || 'none'}; buffers median ${w.buffers.median ?? '-'} max ${w.buffers.max}, ${w.planMs.median?.toFixed(2) ?? '-'} / ${w.planMs.max.toFixed(2)} ms; ` +
    `xmin age max ${w.xminAgeMax}, oldest snapshot ${w.oldestSnapshotSecondsMax.toFixed(1)} s; dead rows ${w.table.deadAtStart} → ${w.table.deadAtEnd} of ${w.table.liveAtEnd} live, ` +
    `autovacuum ${w.table.autovacuums}, autoanalyze ${w.table.autoanalyzes}; active sessions' waits (samples) ${waits || 'none'}; their queries ${queries || 'none'}${w.errors ? `; ${w.errors} samples failed` : ''}`;
}
