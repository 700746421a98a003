/**
 * Numbered schema migrations for PostgreSQL; each runs once, in order, inside a transaction (see
 * migrate.ts). The schema mirrors SQLite's as its migrations left it. Text keys are COLLATE "C" so
 * that ordering and pagination compare code points, as SQLite does, whatever the database's locale.
 * Times are epoch milliseconds (BIGINT); documents are JSON text, validated when read.
 */
export const MIGRATIONS: readonly string[] = [
  // 1: functions, published versions, aliases, provisioned concurrency and layers
  `CREATE TABLE functions (
     name TEXT COLLATE "C" PRIMARY KEY,
     record TEXT NOT NULL
   );
   CREATE TABLE function_versions (
     function_name TEXT COLLATE "C" NOT NULL,
     version INTEGER NOT NULL,
     record TEXT NOT NULL,
     PRIMARY KEY (function_name, version)
   );
   CREATE TABLE aliases (
     function_name TEXT COLLATE "C" NOT NULL,
     name TEXT COLLATE "C" NOT NULL,
     record TEXT NOT NULL,
     PRIMARY KEY (function_name, name)
   );
   CREATE TABLE provisioned_concurrency (
     function_name TEXT COLLATE "C" NOT NULL,
     qualifier TEXT COLLATE "C" NOT NULL,
     record TEXT NOT NULL,
     PRIMARY KEY (function_name, qualifier)
   );
   CREATE TABLE layer_versions (
     name TEXT COLLATE "C" NOT NULL,
     version INTEGER NOT NULL,
     record TEXT NOT NULL,
     deleted BOOLEAN NOT NULL DEFAULT FALSE,
     PRIMARY KEY (name, version)
   );`,
  // 2: logs, one row per invocation, and retention per log group
  `CREATE TABLE log_records (
     id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
     function_name TEXT COLLATE "C" NOT NULL,
     stream TEXT COLLATE "C" NOT NULL,
     request_id TEXT,
     first_ts BIGINT NOT NULL,
     last_ts BIGINT NOT NULL,
     ingested BIGINT NOT NULL,
     lines TEXT NOT NULL
   );
   CREATE INDEX log_records_by_function ON log_records (function_name, id);
   CREATE INDEX log_records_by_stream ON log_records (function_name, stream, id);
   CREATE INDEX log_records_by_request ON log_records (request_id) WHERE request_id IS NOT NULL;
   CREATE TABLE log_retention (
     function_name TEXT COLLATE "C" PRIMARY KEY,
     days INTEGER NOT NULL
   );`,
  // 3: queues (SQS), their messages and FIFO deduplication ids
  `CREATE TABLE queues (
     name TEXT COLLATE "C" PRIMARY KEY,
     record TEXT NOT NULL
   );
   CREATE TABLE queue_messages (
     seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
     queue TEXT COLLATE "C" NOT NULL,
     id TEXT NOT NULL UNIQUE,
     body TEXT NOT NULL,
     attributes TEXT NOT NULL,
     system_attributes TEXT NOT NULL,
     md5_body TEXT NOT NULL,
     sender_id TEXT NOT NULL,
     sent_at BIGINT NOT NULL,
     visible_at BIGINT NOT NULL,
     receive_count INTEGER NOT NULL DEFAULT 0,
     first_received_at BIGINT,
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
     queue TEXT COLLATE "C" NOT NULL,
     dedup_id TEXT NOT NULL,
     message_id TEXT NOT NULL,
     seq BIGINT NOT NULL,
     sent_at BIGINT NOT NULL,
     PRIMARY KEY (queue, dedup_id)
   );`,
  // 4: asynchronous invocation events and event invoke configs
  `CREATE TABLE async_events (
     seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
     id TEXT NOT NULL UNIQUE,
     function_name TEXT COLLATE "C" NOT NULL,
     state TEXT NOT NULL,
     payload BYTEA NOT NULL,
     accepted_at BIGINT NOT NULL,
     next_attempt_at BIGINT NOT NULL,
     attempts INTEGER NOT NULL,
     finished_at BIGINT,
     detail TEXT NOT NULL
   );
   CREATE INDEX async_events_due ON async_events (state, next_attempt_at, seq);
   CREATE INDEX async_events_by_function ON async_events (function_name, state, finished_at);
   CREATE TABLE event_invoke_configs (
     function_name TEXT COLLATE "C" NOT NULL,
     qualifier TEXT COLLATE "C" NOT NULL,
     record TEXT NOT NULL,
     PRIMARY KEY (function_name, qualifier)
   );`,
  // 5: event source mappings
  `CREATE TABLE event_source_mappings (
     uuid TEXT COLLATE "C" PRIMARY KEY,
     function_name TEXT NOT NULL,
     event_source_arn TEXT NOT NULL,
     record TEXT NOT NULL,
     created BIGINT NOT NULL
   );
   CREATE INDEX event_source_mappings_by_function ON event_source_mappings (function_name);
   CREATE INDEX event_source_mappings_by_source ON event_source_mappings (event_source_arn);`,
  // 6: one-minute metric points per function, version and alias
  `CREATE TABLE metric_points (
     function_name TEXT COLLATE "C" NOT NULL,
     kind TEXT COLLATE "C" NOT NULL,
     value TEXT COLLATE "C" NOT NULL,
     minute BIGINT NOT NULL,
     data TEXT NOT NULL,
     PRIMARY KEY (function_name, kind, value, minute)
   );
   CREATE INDEX metric_points_by_minute ON metric_points (minute);`,
  // 7: gradual deployments; seq orders deployments started in the same millisecond
  `CREATE TABLE deployments (
     seq BIGINT GENERATED ALWAYS AS IDENTITY,
     id TEXT PRIMARY KEY,
     function_name TEXT NOT NULL,
     status TEXT NOT NULL,
     started_at BIGINT NOT NULL,
     record TEXT NOT NULL
   );
   CREATE INDEX deployments_by_function ON deployments (function_name, started_at);`,
  // 8: alarms on function metrics, and their changes of state
  `CREATE TABLE alarms (
     name TEXT COLLATE "C" PRIMARY KEY,
     record TEXT NOT NULL
   );
   CREATE TABLE alarm_history (
     id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
     alarm_name TEXT NOT NULL,
     at BIGINT NOT NULL,
     old_state TEXT NOT NULL,
     new_state TEXT NOT NULL,
     reason TEXT NOT NULL
   );
   CREATE INDEX alarm_history_by_alarm ON alarm_history (alarm_name, id);`,
  // 9: code packages, content-addressed, so that every node can fetch what any node stored
  `CREATE TABLE code_packages (
     sha256 TEXT PRIMARY KEY,
     size BIGINT NOT NULL,
     zip BYTEA NOT NULL
   );`,
  // 10: temporary credentials issued by STS
  `CREATE TABLE sts_sessions (
     access_key_id TEXT PRIMARY KEY,
     expires_at BIGINT NOT NULL,
     record TEXT NOT NULL
   );
   CREATE INDEX sts_sessions_by_expiry ON sts_sessions (expires_at);`,
  // 11: EventBridge event buses, and their rules with targets
  `CREATE TABLE event_buses (
     name TEXT COLLATE "C" PRIMARY KEY,
     record TEXT NOT NULL
   );
   CREATE TABLE event_rules (
     bus_name TEXT COLLATE "C" NOT NULL,
     name TEXT COLLATE "C" NOT NULL,
     revision BIGINT NOT NULL,
     record TEXT NOT NULL,
     PRIMARY KEY (bus_name, name)
   );`,
  // 12: the last occurrence of each schedule (scheduled rules, Scheduler), so that each fires once
  `CREATE TABLE schedule_states (
     key TEXT COLLATE "C" PRIMARY KEY,
     last_occurrence BIGINT NOT NULL,
     last_result TEXT,
     fired BIGINT NOT NULL,
     skipped BIGINT NOT NULL
   );`,
  // 13: EventBridge Scheduler's schedule groups and schedules
  `CREATE TABLE schedule_groups (
     name TEXT COLLATE "C" PRIMARY KEY,
     record TEXT NOT NULL
   );
   CREATE TABLE schedules (
     group_name TEXT COLLATE "C" NOT NULL,
     name TEXT COLLATE "C" NOT NULL,
     record TEXT NOT NULL,
     PRIMARY KEY (group_name, name)
   );`,
  // 14: EventBridge target deliveries waiting for a retry
  `CREATE TABLE event_deliveries (
     id TEXT PRIMARY KEY,
     due_at BIGINT NOT NULL,
     record TEXT NOT NULL
   );`,
];
