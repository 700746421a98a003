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
  // 2: queues (SQS) and their messages
  `CREATE TABLE queues (
     name TEXT PRIMARY KEY,
     record TEXT NOT NULL
   );
   CREATE TABLE queue_messages (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     queue TEXT NOT NULL,
     id TEXT NOT NULL UNIQUE,
     body TEXT NOT NULL,
     attributes TEXT NOT NULL,
     system_attributes TEXT NOT NULL,
     md5_body TEXT NOT NULL,
     sender_id TEXT NOT NULL,
     sent_at INTEGER NOT NULL,
     visible_at INTEGER NOT NULL,
     receive_count INTEGER NOT NULL DEFAULT 0,
     first_received_at INTEGER,
     receipt_token TEXT,
     group_id TEXT,
     dedup_id TEXT,
     dead_letter_source TEXT
   );
   CREATE INDEX queue_messages_ready ON queue_messages (queue, visible_at, seq);
   CREATE INDEX queue_messages_order ON queue_messages (queue, seq);
   CREATE INDEX queue_messages_sent ON queue_messages (queue, sent_at);
   CREATE INDEX queue_messages_group ON queue_messages (queue, group_id, seq) WHERE group_id IS NOT NULL;
   CREATE TABLE queue_dedup (
     queue TEXT NOT NULL,
     dedup_id TEXT NOT NULL,
     message_id TEXT NOT NULL,
     seq INTEGER NOT NULL,
     sent_at INTEGER NOT NULL,
     PRIMARY KEY (queue, dedup_id)
   );`,
];
