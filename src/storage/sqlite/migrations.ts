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
  // 3: published versions, aliases and provisioned concurrency
  `CREATE TABLE function_versions (
     function_name TEXT NOT NULL,
     version INTEGER NOT NULL,
     record TEXT NOT NULL,
     PRIMARY KEY (function_name, version)
   );
   CREATE TABLE aliases (
     function_name TEXT NOT NULL,
     name TEXT NOT NULL,
     record TEXT NOT NULL,
     PRIMARY KEY (function_name, name)
   );
   CREATE TABLE provisioned_concurrency (
     function_name TEXT NOT NULL,
     qualifier TEXT NOT NULL,
     record TEXT NOT NULL,
     PRIMARY KEY (function_name, qualifier)
   );`,
  // 4: asynchronous invocation events and event invoke configs
  `CREATE TABLE async_events (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     id TEXT NOT NULL UNIQUE,
     function_name TEXT NOT NULL,
     state TEXT NOT NULL,
     payload BLOB NOT NULL,
     accepted_at INTEGER NOT NULL,
     next_attempt_at INTEGER NOT NULL,
     attempts INTEGER NOT NULL,
     finished_at INTEGER,
     detail TEXT NOT NULL
   );
   CREATE INDEX async_events_due ON async_events (state, next_attempt_at, seq);
   CREATE INDEX async_events_by_function ON async_events (function_name, state, finished_at);
   CREATE TABLE event_invoke_configs (
     function_name TEXT NOT NULL,
     qualifier TEXT NOT NULL,
     record TEXT NOT NULL,
     PRIMARY KEY (function_name, qualifier)
   );`,
  // 5: event source mappings
  `CREATE TABLE event_source_mappings (
     uuid TEXT PRIMARY KEY,
     function_name TEXT NOT NULL,
     event_source_arn TEXT NOT NULL,
     record TEXT NOT NULL,
     created INTEGER NOT NULL
   );
   CREATE INDEX event_source_mappings_by_function ON event_source_mappings (function_name);
   CREATE INDEX event_source_mappings_by_source ON event_source_mappings (event_source_arn);`,
  // 6: layers
  `CREATE TABLE layer_versions (
     name TEXT NOT NULL,
     version INTEGER NOT NULL,
     record TEXT NOT NULL,
     deleted INTEGER NOT NULL DEFAULT 0,
     PRIMARY KEY (name, version)
   );`,
  // 7: one-minute metric points per function, version and alias
  `CREATE TABLE metric_points (
     function_name TEXT NOT NULL,
     kind TEXT NOT NULL,
     value TEXT NOT NULL,
     minute INTEGER NOT NULL,
     data TEXT NOT NULL,
     PRIMARY KEY (function_name, kind, value, minute)
   );
   CREATE INDEX metric_points_by_minute ON metric_points (minute);`,
  // 8: gradual deployments
  `CREATE TABLE deployments (
     id TEXT PRIMARY KEY,
     function_name TEXT NOT NULL,
     status TEXT NOT NULL,
     started_at INTEGER NOT NULL,
     record TEXT NOT NULL
   );
   CREATE INDEX deployments_by_function ON deployments (function_name, started_at);`,
  // 9: alarms on function metrics, and their changes of state
  `CREATE TABLE alarms (
     name TEXT PRIMARY KEY,
     record TEXT NOT NULL
   );
   CREATE TABLE alarm_history (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     alarm_name TEXT NOT NULL,
     at INTEGER NOT NULL,
     old_state TEXT NOT NULL,
     new_state TEXT NOT NULL,
     reason TEXT NOT NULL
   );
   CREATE INDEX alarm_history_by_alarm ON alarm_history (alarm_name, id);`,
  // 10: logs stored one row per invocation instead of one per line
  `CREATE TABLE log_records (
     id INTEGER PRIMARY KEY,
     function_name TEXT NOT NULL,
     stream TEXT NOT NULL,
     request_id TEXT,
     first_ts INTEGER NOT NULL,
     last_ts INTEGER NOT NULL,
     ingested INTEGER NOT NULL,
     lines TEXT NOT NULL
   );
   INSERT INTO log_records (function_name, stream, request_id, first_ts, last_ts, ingested, lines)
     SELECT function_name, stream, request_id, ts, ts, ingested, json_array(json_array(ts, message)) FROM log_lines ORDER BY id;
   DROP TABLE log_lines;
   CREATE INDEX log_records_by_function ON log_records (function_name, id);
   CREATE INDEX log_records_by_stream ON log_records (function_name, stream, id);
   CREATE INDEX log_records_by_request ON log_records (request_id) WHERE request_id IS NOT NULL;`,
  // 11: log retention per function's log group (PutRetentionPolicy)
  `CREATE TABLE log_retention (
     function_name TEXT PRIMARY KEY,
     days INTEGER NOT NULL
   );`,
  // 12: temporary credentials issued by STS
  `CREATE TABLE sts_sessions (
     access_key_id TEXT PRIMARY KEY,
     expires_at INTEGER NOT NULL,
     record TEXT NOT NULL
   );
   CREATE INDEX sts_sessions_by_expiry ON sts_sessions (expires_at);`,
  // 13: S3 buckets, object metadata (bytes in blobs), multipart uploads and parts
  `CREATE TABLE s3_buckets (
     name TEXT PRIMARY KEY,
     record TEXT NOT NULL
   );
   CREATE TABLE s3_objects (
     bucket TEXT NOT NULL,
     key TEXT NOT NULL,
     etag TEXT NOT NULL,
     record TEXT NOT NULL,
     PRIMARY KEY (bucket, key)
   );
   CREATE TABLE s3_uploads (
     upload_id TEXT PRIMARY KEY,
     bucket TEXT NOT NULL,
     key TEXT NOT NULL,
     initiated INTEGER NOT NULL,
     record TEXT NOT NULL
   );
   CREATE INDEX s3_uploads_by_bucket ON s3_uploads (bucket, key, initiated);
   CREATE TABLE s3_parts (
     upload_id TEXT NOT NULL,
     part_number INTEGER NOT NULL,
     record TEXT NOT NULL,
     PRIMARY KEY (upload_id, part_number)
   );`,
  // 14: secrets, encrypted at rest: KMS keys (material wrapped by the master key) and aliases,
  // Secrets Manager's secrets and SSM's parameters (values sealed), and the master key's check value
  `CREATE TABLE keyring (
     name TEXT PRIMARY KEY,
     value TEXT NOT NULL
   );
   CREATE TABLE kms_keys (
     key TEXT PRIMARY KEY,
     revision INTEGER NOT NULL,
     record TEXT NOT NULL
   );
   CREATE TABLE kms_aliases (
     key TEXT PRIMARY KEY,
     revision INTEGER NOT NULL,
     record TEXT NOT NULL
   );
   CREATE TABLE secrets (
     key TEXT PRIMARY KEY,
     revision INTEGER NOT NULL,
     record TEXT NOT NULL
   );
   CREATE TABLE ssm_parameters (
     key TEXT PRIMARY KEY,
     revision INTEGER NOT NULL,
     record TEXT NOT NULL
   );`,
  // 15: metrics callers publish (CloudWatch PutMetricData, Embedded Metric Format)
  `CREATE TABLE custom_metrics (
     namespace TEXT NOT NULL,
     metric_name TEXT NOT NULL,
     dimensions TEXT NOT NULL,
     unit TEXT NOT NULL,
     minute INTEGER NOT NULL,
     sample_count REAL NOT NULL,
     sum REAL NOT NULL,
     min REAL NOT NULL,
     max REAL NOT NULL,
     PRIMARY KEY (namespace, metric_name, dimensions, unit, minute)
   );
   CREATE INDEX custom_metrics_by_minute ON custom_metrics (minute);`,
  // 16: DynamoDB tables, items by encoded key, index rows, stream records
  `CREATE TABLE ddb_tables (
     name TEXT PRIMARY KEY,
     record TEXT NOT NULL
   );
   CREATE TABLE ddb_items (
     table_name TEXT NOT NULL,
     pk BLOB NOT NULL,
     sk BLOB NOT NULL,
     hash INTEGER NOT NULL,
     item TEXT NOT NULL,
     size INTEGER NOT NULL,
     expires_at INTEGER,
     PRIMARY KEY (table_name, pk, sk)
   ) WITHOUT ROWID;
   CREATE INDEX ddb_items_by_hash ON ddb_items (table_name, hash, pk, sk);
   CREATE INDEX ddb_items_by_expiry ON ddb_items (table_name, expires_at) WHERE expires_at IS NOT NULL;
   CREATE TABLE ddb_index_items (
     table_name TEXT NOT NULL,
     index_name TEXT NOT NULL,
     pk BLOB NOT NULL,
     sk BLOB NOT NULL,
     table_pk BLOB NOT NULL,
     table_sk BLOB NOT NULL,
     hash INTEGER NOT NULL,
     item TEXT NOT NULL,
     PRIMARY KEY (table_name, index_name, pk, sk, table_pk, table_sk)
   ) WITHOUT ROWID;
   CREATE INDEX ddb_index_items_by_item ON ddb_index_items (table_name, table_pk, table_sk);
   CREATE INDEX ddb_index_items_by_hash ON ddb_index_items (table_name, index_name, hash, pk, sk, table_pk, table_sk);
   CREATE TABLE ddb_stream_records (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     stream_arn TEXT NOT NULL,
     at INTEGER NOT NULL,
     record TEXT NOT NULL
   );
   CREATE INDEX ddb_stream_records_by_stream ON ddb_stream_records (stream_arn, seq);
   CREATE INDEX ddb_stream_records_by_time ON ddb_stream_records (at);
   CREATE TABLE ddb_transaction_tokens (
     token TEXT PRIMARY KEY,
     digest TEXT NOT NULL,
     at INTEGER NOT NULL
   );`,
  // 17: SNS topics, subscriptions and HTTP deliveries under way
  `CREATE TABLE sns_topics (
     arn TEXT PRIMARY KEY,
     sequence INTEGER NOT NULL DEFAULT 0,
     record TEXT NOT NULL
   );
   CREATE TABLE sns_subscriptions (
     arn TEXT PRIMARY KEY,
     topic_arn TEXT NOT NULL,
     record TEXT NOT NULL
   );
   CREATE INDEX sns_subscriptions_by_topic ON sns_subscriptions (topic_arn, arn);
   CREATE TABLE sns_deliveries (
     id TEXT PRIMARY KEY,
     next_attempt_at INTEGER NOT NULL,
     record TEXT NOT NULL
   );`,
  // 18: EventBridge event buses, and their rules with targets
  `CREATE TABLE event_buses (
     name TEXT PRIMARY KEY,
     record TEXT NOT NULL
   );
   CREATE TABLE event_rules (
     bus_name TEXT NOT NULL,
     name TEXT NOT NULL,
     revision INTEGER NOT NULL,
     record TEXT NOT NULL,
     PRIMARY KEY (bus_name, name)
   );`,
  // 19: the last occurrence of each schedule (scheduled rules, Scheduler), so that each fires once
  `CREATE TABLE schedule_states (
     key TEXT PRIMARY KEY,
     last_occurrence INTEGER NOT NULL,
     last_result TEXT,
     fired INTEGER NOT NULL,
     skipped INTEGER NOT NULL
   );`,
  // 20: EventBridge Scheduler's schedule groups and schedules
  `CREATE TABLE schedule_groups (
     name TEXT PRIMARY KEY,
     record TEXT NOT NULL
   );
   CREATE TABLE schedules (
     group_name TEXT NOT NULL,
     name TEXT NOT NULL,
     record TEXT NOT NULL,
     PRIMARY KEY (group_name, name)
   );`,
  // 21: EventBridge target deliveries waiting for a retry
  `CREATE TABLE event_deliveries (
     id TEXT PRIMARY KEY,
     due_at INTEGER NOT NULL,
     record TEXT NOT NULL
   );`,
  // 22: EventBridge archives, the events they keep, and replays
  `CREATE TABLE event_archives (
     name TEXT PRIMARY KEY,
     bus_name TEXT NOT NULL,
     record TEXT NOT NULL
   );
   CREATE TABLE archived_events (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     archive_name TEXT NOT NULL,
     time INTEGER NOT NULL,
     bytes INTEGER NOT NULL,
     event TEXT NOT NULL
   );
   CREATE INDEX archived_events_by_time ON archived_events (archive_name, time);
   CREATE TABLE event_replays (
     name TEXT PRIMARY KEY,
     revision INTEGER NOT NULL,
     record TEXT NOT NULL
   );`,
  // 23: API Gateway REST APIs: APIs (with their resources, methods, authorizers), deployments, stages, API keys, usage plans
  `CREATE TABLE apigw_rest_apis (
     key TEXT PRIMARY KEY,
     revision INTEGER NOT NULL,
     record TEXT NOT NULL
   );
   CREATE TABLE apigw_deployments (
     key TEXT PRIMARY KEY,
     revision INTEGER NOT NULL,
     record TEXT NOT NULL
   );
   CREATE TABLE apigw_stages (
     key TEXT PRIMARY KEY,
     revision INTEGER NOT NULL,
     record TEXT NOT NULL
   );
   CREATE TABLE apigw_api_keys (
     key TEXT PRIMARY KEY,
     revision INTEGER NOT NULL,
     record TEXT NOT NULL
   );
   CREATE TABLE apigw_usage_plans (
     key TEXT PRIMARY KEY,
     revision INTEGER NOT NULL,
     record TEXT NOT NULL
   );`,
  // 24: API Gateway V2: APIs, and their routes, integrations, authorizers, stages and deployments
  `CREATE TABLE apigwv2_apis (
     key TEXT PRIMARY KEY,
     revision INTEGER NOT NULL,
     record TEXT NOT NULL
   );
   CREATE TABLE apigwv2_routes (
     key TEXT PRIMARY KEY,
     revision INTEGER NOT NULL,
     record TEXT NOT NULL
   );
   CREATE TABLE apigwv2_integrations (
     key TEXT PRIMARY KEY,
     revision INTEGER NOT NULL,
     record TEXT NOT NULL
   );
   CREATE TABLE apigwv2_authorizers (
     key TEXT PRIMARY KEY,
     revision INTEGER NOT NULL,
     record TEXT NOT NULL
   );
   CREATE TABLE apigwv2_stages (
     key TEXT PRIMARY KEY,
     revision INTEGER NOT NULL,
     record TEXT NOT NULL
   );
   CREATE TABLE apigwv2_deployments (
     key TEXT PRIMARY KEY,
     revision INTEGER NOT NULL,
     record TEXT NOT NULL
   );`,
  // 25: IAM's roles, managed policies and instance profiles; ECR's repositories (documents by name)
  `CREATE TABLE iam_roles (
     key TEXT PRIMARY KEY,
     revision INTEGER NOT NULL,
     record TEXT NOT NULL
   );
   CREATE TABLE iam_policies (
     key TEXT PRIMARY KEY,
     revision INTEGER NOT NULL,
     record TEXT NOT NULL
   );
   CREATE TABLE iam_instance_profiles (
     key TEXT PRIMARY KEY,
     revision INTEGER NOT NULL,
     record TEXT NOT NULL
   );
   CREATE TABLE ecr_repositories (
     key TEXT PRIMARY KEY,
     revision INTEGER NOT NULL,
     record TEXT NOT NULL
   );`,
  // 26: log groups created before their function logs (CreateLogGroup), and log groups' tags
  `CREATE TABLE log_groups (
     function_name TEXT PRIMARY KEY,
     created_at INTEGER NOT NULL,
     tags TEXT NOT NULL
   );`,
  // 27: Kinesis streams (shards in the JSON record, a sequence counter per stream) and their records
  `CREATE TABLE kinesis_streams (
     name TEXT PRIMARY KEY,
     record TEXT NOT NULL,
     last_sequence INTEGER NOT NULL
   );
   CREATE TABLE kinesis_records (
     stream TEXT NOT NULL,
     shard_id TEXT NOT NULL,
     sequence INTEGER NOT NULL,
     partition_key TEXT NOT NULL,
     data BLOB NOT NULL,
     arrived_at INTEGER NOT NULL,
     PRIMARY KEY (stream, shard_id, sequence)
   );
   CREATE INDEX kinesis_records_arrival ON kinesis_records (stream, arrived_at);`,
  // 28: where each stream event source mapping stands in each shard
  `CREATE TABLE stream_checkpoints (
     mapping_uuid TEXT NOT NULL,
     shard_id TEXT NOT NULL,
     sequence TEXT NOT NULL,
     ended INTEGER NOT NULL,
     PRIMARY KEY (mapping_uuid, shard_id)
   );`,
  // 29: CloudFormation stacks (a name is unique among stacks not deleted), resources, events, change sets, exports, imports
  `CREATE TABLE cfn_stacks (
     stack_id TEXT PRIMARY KEY,
     name TEXT NOT NULL,
     active INTEGER NOT NULL,
     created_at INTEGER NOT NULL,
     status TEXT NOT NULL,
     record TEXT NOT NULL
   );
   CREATE UNIQUE INDEX cfn_stacks_active_name ON cfn_stacks (name) WHERE active = 1;
   CREATE TABLE cfn_resources (
     stack_id TEXT NOT NULL,
     logical_id TEXT NOT NULL,
     record TEXT NOT NULL,
     PRIMARY KEY (stack_id, logical_id)
   );
   CREATE TABLE cfn_events (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     stack_id TEXT NOT NULL,
     record TEXT NOT NULL
   );
   CREATE INDEX cfn_events_stack ON cfn_events (stack_id, seq);
   CREATE TABLE cfn_change_sets (
     change_set_id TEXT PRIMARY KEY,
     stack_id TEXT NOT NULL,
     name TEXT NOT NULL,
     created_at INTEGER NOT NULL,
     record TEXT NOT NULL
   );
   CREATE TABLE cfn_exports (
     name TEXT PRIMARY KEY,
     stack_id TEXT NOT NULL,
     value TEXT NOT NULL
   );
   CREATE TABLE cfn_imports (
     stack_id TEXT NOT NULL,
     export_name TEXT NOT NULL,
     PRIMARY KEY (stack_id, export_name)
   );`,
  // 30: CodeDeploy's applications, deployment groups and deployments (documents by name or id)
  `CREATE TABLE codedeploy_applications (
     key TEXT PRIMARY KEY,
     revision INTEGER NOT NULL,
     record TEXT NOT NULL
   );
   CREATE TABLE codedeploy_deployment_groups (
     key TEXT PRIMARY KEY,
     revision INTEGER NOT NULL,
     record TEXT NOT NULL
   );
   CREATE TABLE codedeploy_deployments (
     key TEXT PRIMARY KEY,
     revision INTEGER NOT NULL,
     record TEXT NOT NULL
   );`,
  // 31: API Gateway V2 WebSocket connections (open now), by connection id.
  `CREATE TABLE apigwv2_ws_connections (
     key TEXT PRIMARY KEY,
     revision INTEGER NOT NULL,
     record TEXT NOT NULL
   );`,
  // 32: log streams made by CreateLogStream (a function's streams are made by its lines), and log groups' metric and subscription filters
  `CREATE TABLE log_streams (
     function_name TEXT NOT NULL,
     stream TEXT NOT NULL,
     created_at INTEGER NOT NULL,
     PRIMARY KEY (function_name, stream)
   );
   CREATE TABLE log_metric_filters (
     key TEXT PRIMARY KEY,
     revision INTEGER NOT NULL,
     record TEXT NOT NULL
   );
   CREATE TABLE log_subscription_filters (
     key TEXT PRIMARY KEY,
     revision INTEGER NOT NULL,
     record TEXT NOT NULL
   );`,
  // 33: S3 versions: every version and delete marker of each key (s3_objects keeps the current one); existing objects are `null` versions.
  `CREATE TABLE s3_versions (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     bucket TEXT NOT NULL,
     key TEXT NOT NULL,
     version_id TEXT NOT NULL,
     record TEXT NOT NULL,
     UNIQUE (bucket, key, version_id)
   );
   CREATE INDEX s3_versions_by_key ON s3_versions (bucket, key, seq);
   INSERT INTO s3_versions (bucket, key, version_id, record) SELECT bucket, key, 'null', record FROM s3_objects ORDER BY bucket, key;`,
  // 34: the fleet's nodes (heartbeats) and leases (one node at a time runs a singleton task)
  `CREATE TABLE fleet_nodes (
     id TEXT PRIMARY KEY,
     heartbeat_at INTEGER NOT NULL,
     record TEXT NOT NULL
   );
   CREATE TABLE fleet_leases (
     name TEXT PRIMARY KEY,
     holder TEXT NOT NULL,
     expires_at INTEGER NOT NULL
   );
   CREATE INDEX fleet_leases_by_holder ON fleet_leases (holder);`,
  // 35: Lambda Managed Instances: capacity providers, and the scaling config of each published version on one
  `CREATE TABLE capacity_providers (
     name TEXT PRIMARY KEY,
     record TEXT NOT NULL
   );
   CREATE TABLE function_scaling_configs (
     function_name TEXT NOT NULL,
     qualifier TEXT NOT NULL,
     record TEXT NOT NULL,
     PRIMARY KEY (function_name, qualifier)
   );`,
  // 36: the node running each running async event, so a live node queues again only a dead node's
  `ALTER TABLE async_events ADD COLUMN node_id TEXT;`,
  // 37: CloudWatch's composite alarms and dashboards, CloudWatch Logs' resource policies (documents by name)
  `CREATE TABLE cw_composite_alarms (
     key TEXT PRIMARY KEY,
     revision INTEGER NOT NULL,
     record TEXT NOT NULL
   );
   CREATE TABLE cw_dashboards (
     key TEXT PRIMARY KEY,
     revision INTEGER NOT NULL,
     record TEXT NOT NULL
   );
   CREATE TABLE log_resource_policies (
     key TEXT PRIMARY KEY,
     revision INTEGER NOT NULL,
     record TEXT NOT NULL
   );`,
  // 38: concurrency slots held across the fleet (one row per running invocation of a function with reserved concurrency)
  `CREATE TABLE fleet_concurrency_slots (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     function_name TEXT NOT NULL,
     holder TEXT NOT NULL,
     taken_at INTEGER NOT NULL
   );
   CREATE INDEX fleet_concurrency_slots_by_function ON fleet_concurrency_slots (function_name);
   CREATE INDEX fleet_concurrency_slots_by_holder ON fleet_concurrency_slots (holder);`,
  // 39: API Gateway's account settings (its CloudWatch role), one document
  `CREATE TABLE apigw_account (
     key TEXT PRIMARY KEY,
     revision INTEGER NOT NULL,
     record TEXT NOT NULL
   );`,
  // 40: EventBridge's connections and API destinations (documents by name; credentials stay in Secrets Manager)
  `CREATE TABLE events_connections (
     key TEXT PRIMARY KEY,
     revision INTEGER NOT NULL,
     record TEXT NOT NULL
   );
   CREATE TABLE events_api_destinations (
     key TEXT PRIMARY KEY,
     revision INTEGER NOT NULL,
     record TEXT NOT NULL
   );`,
  // 41: each node's share of the account's unreserved concurrency (leased in blocks, counted only while its holder beats)
  `CREATE TABLE fleet_pool_shares (
     holder TEXT PRIMARY KEY,
     slots INTEGER NOT NULL,
     updated_at INTEGER NOT NULL
   );`,
  // 42: API Gateway's custom domain names (v1 and v2), each with its mappings
  `CREATE TABLE apigw_domain_names (
     key TEXT PRIMARY KEY,
     revision INTEGER NOT NULL,
     record TEXT NOT NULL
   );`,
  // 43: logs kept a row per stream per batch (rows/log-rows.ts): a request's lines are found in its function's rows
  `DROP INDEX log_records_by_request;`,
  // 44: the queue-order index holds only messages with a group id (FIFO's ready query): a standard queue's
  // message is one index fewer to write at send, receive and delete, one page fewer in each commit
  `DROP INDEX queue_messages_order;
   CREATE INDEX queue_messages_group_order ON queue_messages (queue, seq) WHERE group_id IS NOT NULL;`,
];
