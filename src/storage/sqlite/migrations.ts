/** Numbered schema migrations; each runs once, in order, inside a transaction. */
export const MIGRATIONS: readonly string[] = [
  // 1: functions and their logs
  `CREATE TABLE functions (
     name TEXT PRIMARY KEY,
     record TEXT NOT NULL
   );
   CREATE TABLE log_lines (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     function_name TEXT NOT NULL,
     stream TEXT NOT NULL,
     request_id TEXT,
     ts INTEGER NOT NULL,
     ingested INTEGER NOT NULL,
     message TEXT NOT NULL
   );
   CREATE INDEX log_lines_by_function ON log_lines (function_name, id);
   CREATE INDEX log_lines_by_request ON log_lines (request_id) WHERE request_id IS NOT NULL;
   CREATE INDEX log_lines_by_stream ON log_lines (function_name, stream, id);`,
];
