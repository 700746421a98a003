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
  // 11: S3 buckets, object metadata (bytes in blobs), multipart uploads and parts; keys in byte order as S3 sorts them
  `CREATE TABLE s3_buckets (
     name TEXT COLLATE "C" PRIMARY KEY,
     record TEXT NOT NULL
   );
   CREATE TABLE s3_objects (
     bucket TEXT COLLATE "C" NOT NULL,
     key TEXT COLLATE "C" NOT NULL,
     etag TEXT NOT NULL,
     record TEXT NOT NULL,
     PRIMARY KEY (bucket, key)
   );
   CREATE TABLE s3_uploads (
     upload_id TEXT PRIMARY KEY,
     bucket TEXT COLLATE "C" NOT NULL,
     key TEXT COLLATE "C" NOT NULL,
     initiated BIGINT NOT NULL,
     record TEXT NOT NULL
   );
   CREATE INDEX s3_uploads_by_bucket ON s3_uploads (bucket, key, initiated);
   CREATE TABLE s3_parts (
     upload_id TEXT NOT NULL,
     part_number INTEGER NOT NULL,
     record TEXT NOT NULL,
     PRIMARY KEY (upload_id, part_number)
   );`,
  // 12: secrets, encrypted at rest: KMS keys (material wrapped by the master key) and aliases,
  // Secrets Manager's secrets and SSM's parameters (values sealed), and the master key's check value
  `CREATE TABLE keyring (
     name TEXT PRIMARY KEY,
     value TEXT NOT NULL
   );
   CREATE TABLE kms_keys (
     key TEXT COLLATE "C" PRIMARY KEY,
     revision BIGINT NOT NULL,
     record TEXT NOT NULL
   );
   CREATE TABLE kms_aliases (
     key TEXT COLLATE "C" PRIMARY KEY,
     revision BIGINT NOT NULL,
     record TEXT NOT NULL
   );
   CREATE TABLE secrets (
     key TEXT COLLATE "C" PRIMARY KEY,
     revision BIGINT NOT NULL,
     record TEXT NOT NULL
   );
   CREATE TABLE ssm_parameters (
     key TEXT COLLATE "C" PRIMARY KEY,
     revision BIGINT NOT NULL,
     record TEXT NOT NULL
   );`,
  // 13: metrics callers publish (CloudWatch PutMetricData, Embedded Metric Format)
  `CREATE TABLE custom_metrics (
     namespace TEXT NOT NULL,
     metric_name TEXT NOT NULL,
     dimensions TEXT NOT NULL,
     unit TEXT NOT NULL,
     minute BIGINT NOT NULL,
     sample_count DOUBLE PRECISION NOT NULL,
     sum DOUBLE PRECISION NOT NULL,
     min DOUBLE PRECISION NOT NULL,
     max DOUBLE PRECISION NOT NULL,
     PRIMARY KEY (namespace, metric_name, dimensions, unit, minute)
   );
   CREATE INDEX custom_metrics_by_minute ON custom_metrics (minute);`,
  // 14: DynamoDB tables, items by encoded key (BYTEA compares as bytes), index rows, stream records
  `CREATE TABLE ddb_tables (
     name TEXT COLLATE "C" PRIMARY KEY,
     record TEXT NOT NULL
   );
   CREATE TABLE ddb_items (
     table_name TEXT NOT NULL,
     pk BYTEA NOT NULL,
     sk BYTEA NOT NULL,
     hash BIGINT NOT NULL,
     item TEXT NOT NULL,
     size INTEGER NOT NULL,
     expires_at BIGINT,
     PRIMARY KEY (table_name, pk, sk)
   );
   CREATE INDEX ddb_items_by_hash ON ddb_items (table_name, hash, pk, sk);
   CREATE INDEX ddb_items_by_expiry ON ddb_items (table_name, expires_at) WHERE expires_at IS NOT NULL;
   CREATE TABLE ddb_index_items (
     table_name TEXT NOT NULL,
     index_name TEXT NOT NULL,
     pk BYTEA NOT NULL,
     sk BYTEA NOT NULL,
     table_pk BYTEA NOT NULL,
     table_sk BYTEA NOT NULL,
     hash BIGINT NOT NULL,
     item TEXT NOT NULL,
     PRIMARY KEY (table_name, index_name, pk, sk, table_pk, table_sk)
   );
   CREATE INDEX ddb_index_items_by_item ON ddb_index_items (table_name, table_pk, table_sk);
   CREATE INDEX ddb_index_items_by_hash ON ddb_index_items (table_name, index_name, hash, pk, sk, table_pk, table_sk);
   CREATE TABLE ddb_stream_records (
     seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
     stream_arn TEXT NOT NULL,
     at BIGINT NOT NULL,
     record TEXT NOT NULL
   );
   CREATE INDEX ddb_stream_records_by_stream ON ddb_stream_records (stream_arn, seq);
   CREATE INDEX ddb_stream_records_by_time ON ddb_stream_records (at);
   CREATE TABLE ddb_transaction_tokens (
     token TEXT PRIMARY KEY,
     digest TEXT NOT NULL,
     at BIGINT NOT NULL
   );`,
  // 15: S3 object bytes for a fleet, in 1 MiB chunks; a blob is readable once complete
  `CREATE TABLE s3_blobs (
     id TEXT PRIMARY KEY,
     size BIGINT NOT NULL,
     complete BOOLEAN NOT NULL
   );
   CREATE TABLE s3_blob_chunks (
     blob_id TEXT NOT NULL,
     seq INTEGER NOT NULL,
     data BYTEA NOT NULL,
     PRIMARY KEY (blob_id, seq)
   );`,
  // 16: SNS topics, subscriptions and HTTP deliveries under way
  `CREATE TABLE sns_topics (
     arn TEXT COLLATE "C" PRIMARY KEY,
     sequence BIGINT NOT NULL DEFAULT 0,
     record TEXT NOT NULL
   );
   CREATE TABLE sns_subscriptions (
     arn TEXT COLLATE "C" PRIMARY KEY,
     topic_arn TEXT COLLATE "C" NOT NULL,
     record TEXT NOT NULL
   );
   CREATE INDEX sns_subscriptions_by_topic ON sns_subscriptions (topic_arn, arn);
   CREATE TABLE sns_deliveries (
     id TEXT PRIMARY KEY,
     next_attempt_at BIGINT NOT NULL,
     record TEXT NOT NULL
   );`,
  // 17: EventBridge event buses, and their rules with targets
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
  // 18: the last occurrence of each schedule (scheduled rules, Scheduler), so that each fires once
  `CREATE TABLE schedule_states (
     key TEXT COLLATE "C" PRIMARY KEY,
     last_occurrence BIGINT NOT NULL,
     last_result TEXT,
     fired BIGINT NOT NULL,
     skipped BIGINT NOT NULL
   );`,
  // 19: EventBridge Scheduler's schedule groups and schedules
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
  // 20: EventBridge target deliveries waiting for a retry
  `CREATE TABLE event_deliveries (
     id TEXT PRIMARY KEY,
     due_at BIGINT NOT NULL,
     record TEXT NOT NULL
   );`,
  // 21: EventBridge archives, the events they keep, and replays
  `CREATE TABLE event_archives (
     name TEXT COLLATE "C" PRIMARY KEY,
     bus_name TEXT NOT NULL,
     record TEXT NOT NULL
   );
   CREATE TABLE archived_events (
     seq BIGSERIAL PRIMARY KEY,
     archive_name TEXT NOT NULL,
     time BIGINT NOT NULL,
     bytes BIGINT NOT NULL,
     event TEXT NOT NULL
   );
   CREATE INDEX archived_events_by_time ON archived_events (archive_name, time);
   CREATE TABLE event_replays (
     name TEXT COLLATE "C" PRIMARY KEY,
     revision BIGINT NOT NULL,
     record TEXT NOT NULL
   );`,
  // 22: API Gateway REST APIs: APIs (with their resources, methods, authorizers), deployments, stages, API keys, usage plans
  `CREATE TABLE apigw_rest_apis (
     key TEXT COLLATE "C" PRIMARY KEY,
     revision BIGINT NOT NULL,
     record TEXT NOT NULL
   );
   CREATE TABLE apigw_deployments (
     key TEXT COLLATE "C" PRIMARY KEY,
     revision BIGINT NOT NULL,
     record TEXT NOT NULL
   );
   CREATE TABLE apigw_stages (
     key TEXT COLLATE "C" PRIMARY KEY,
     revision BIGINT NOT NULL,
     record TEXT NOT NULL
   );
   CREATE TABLE apigw_api_keys (
     key TEXT COLLATE "C" PRIMARY KEY,
     revision BIGINT NOT NULL,
     record TEXT NOT NULL
   );
   CREATE TABLE apigw_usage_plans (
     key TEXT COLLATE "C" PRIMARY KEY,
     revision BIGINT NOT NULL,
     record TEXT NOT NULL
   );`,
  // 23: API Gateway V2: APIs, and their routes, integrations, authorizers, stages and deployments
  `CREATE TABLE apigwv2_apis (
     key TEXT COLLATE "C" PRIMARY KEY,
     revision BIGINT NOT NULL,
     record TEXT NOT NULL
   );
   CREATE TABLE apigwv2_routes (
     key TEXT COLLATE "C" PRIMARY KEY,
     revision BIGINT NOT NULL,
     record TEXT NOT NULL
   );
   CREATE TABLE apigwv2_integrations (
     key TEXT COLLATE "C" PRIMARY KEY,
     revision BIGINT NOT NULL,
     record TEXT NOT NULL
   );
   CREATE TABLE apigwv2_authorizers (
     key TEXT COLLATE "C" PRIMARY KEY,
     revision BIGINT NOT NULL,
     record TEXT NOT NULL
   );
   CREATE TABLE apigwv2_stages (
     key TEXT COLLATE "C" PRIMARY KEY,
     revision BIGINT NOT NULL,
     record TEXT NOT NULL
   );
   CREATE TABLE apigwv2_deployments (
     key TEXT COLLATE "C" PRIMARY KEY,
     revision BIGINT NOT NULL,
     record TEXT NOT NULL
   );`,
  // 24: IAM's roles, managed policies and instance profiles; ECR's repositories (documents by name)
  `CREATE TABLE iam_roles (
     key TEXT COLLATE "C" PRIMARY KEY,
     revision BIGINT NOT NULL,
     record TEXT NOT NULL
   );
   CREATE TABLE iam_policies (
     key TEXT COLLATE "C" PRIMARY KEY,
     revision BIGINT NOT NULL,
     record TEXT NOT NULL
   );
   CREATE TABLE iam_instance_profiles (
     key TEXT COLLATE "C" PRIMARY KEY,
     revision BIGINT NOT NULL,
     record TEXT NOT NULL
   );
   CREATE TABLE ecr_repositories (
     key TEXT COLLATE "C" PRIMARY KEY,
     revision BIGINT NOT NULL,
     record TEXT NOT NULL
   );`,
  // 25: log groups created before their function logs (CreateLogGroup), and log groups' tags
  `CREATE TABLE log_groups (
     function_name TEXT COLLATE "C" PRIMARY KEY,
     created_at BIGINT NOT NULL,
     tags TEXT NOT NULL
   );`,
  // 26: Kinesis streams (shards in the JSON record, a sequence counter per stream) and their records
  `CREATE TABLE kinesis_streams (
     name TEXT COLLATE "C" PRIMARY KEY,
     record TEXT NOT NULL,
     last_sequence BIGINT NOT NULL
   );
   CREATE TABLE kinesis_records (
     stream TEXT COLLATE "C" NOT NULL,
     shard_id TEXT COLLATE "C" NOT NULL,
     sequence BIGINT NOT NULL,
     partition_key TEXT NOT NULL,
     data BYTEA NOT NULL,
     arrived_at BIGINT NOT NULL,
     PRIMARY KEY (stream, shard_id, sequence)
   );
   CREATE INDEX kinesis_records_arrival ON kinesis_records (stream, arrived_at);`,
  // 27: where each stream event source mapping stands in each shard
  `CREATE TABLE stream_checkpoints (
     mapping_uuid TEXT NOT NULL,
     shard_id TEXT COLLATE "C" NOT NULL,
     sequence TEXT NOT NULL,
     ended BOOLEAN NOT NULL,
     PRIMARY KEY (mapping_uuid, shard_id)
   );`,
  // 28: CloudFormation stacks (a name is unique among stacks not deleted), resources, events, change sets, exports, imports
  `CREATE TABLE cfn_stacks (
     stack_id TEXT COLLATE "C" PRIMARY KEY,
     name TEXT COLLATE "C" NOT NULL,
     active INTEGER NOT NULL,
     created_at BIGINT NOT NULL,
     status TEXT NOT NULL,
     record TEXT NOT NULL
   );
   CREATE UNIQUE INDEX cfn_stacks_active_name ON cfn_stacks (name) WHERE active = 1;
   CREATE TABLE cfn_resources (
     stack_id TEXT COLLATE "C" NOT NULL,
     logical_id TEXT COLLATE "C" NOT NULL,
     record TEXT NOT NULL,
     PRIMARY KEY (stack_id, logical_id)
   );
   CREATE TABLE cfn_events (
     seq BIGSERIAL PRIMARY KEY,
     stack_id TEXT NOT NULL,
     record TEXT NOT NULL
   );
   CREATE INDEX cfn_events_stack ON cfn_events (stack_id, seq);
   CREATE TABLE cfn_change_sets (
     change_set_id TEXT COLLATE "C" PRIMARY KEY,
     stack_id TEXT COLLATE "C" NOT NULL,
     name TEXT COLLATE "C" NOT NULL,
     created_at BIGINT NOT NULL,
     record TEXT NOT NULL
   );
   CREATE TABLE cfn_exports (
     name TEXT COLLATE "C" PRIMARY KEY,
     stack_id TEXT NOT NULL,
     value TEXT NOT NULL
   );
   CREATE TABLE cfn_imports (
     stack_id TEXT COLLATE "C" NOT NULL,
     export_name TEXT COLLATE "C" NOT NULL,
     PRIMARY KEY (stack_id, export_name)
   );`,
  // 29: CodeDeploy's applications, deployment groups and deployments (documents by name or id)
  `CREATE TABLE codedeploy_applications (
     key TEXT COLLATE "C" PRIMARY KEY,
     revision BIGINT NOT NULL,
     record TEXT NOT NULL
   );
   CREATE TABLE codedeploy_deployment_groups (
     key TEXT COLLATE "C" PRIMARY KEY,
     revision BIGINT NOT NULL,
     record TEXT NOT NULL
   );
   CREATE TABLE codedeploy_deployments (
     key TEXT COLLATE "C" PRIMARY KEY,
     revision BIGINT NOT NULL,
     record TEXT NOT NULL
   );`,
  // 30: API Gateway V2 WebSocket connections (open now), by connection id.
  `CREATE TABLE apigwv2_ws_connections (
     key TEXT COLLATE "C" PRIMARY KEY,
     revision BIGINT NOT NULL,
     record TEXT NOT NULL
   );`,
  // 31: log streams made by CreateLogStream (a function's streams are made by its lines), and log groups' metric and subscription filters
  `CREATE TABLE log_streams (
     function_name TEXT COLLATE "C" NOT NULL,
     stream TEXT COLLATE "C" NOT NULL,
     created_at BIGINT NOT NULL,
     PRIMARY KEY (function_name, stream)
   );
   CREATE TABLE log_metric_filters (
     key TEXT COLLATE "C" PRIMARY KEY,
     revision BIGINT NOT NULL,
     record TEXT NOT NULL
   );
   CREATE TABLE log_subscription_filters (
     key TEXT COLLATE "C" PRIMARY KEY,
     revision BIGINT NOT NULL,
     record TEXT NOT NULL
   );`,
  // 32: S3 versions: every version and delete marker of each key (s3_objects keeps the current one); existing objects are `null` versions.
  `CREATE TABLE s3_versions (
     seq BIGSERIAL PRIMARY KEY,
     bucket TEXT COLLATE "C" NOT NULL,
     key TEXT COLLATE "C" NOT NULL,
     version_id TEXT COLLATE "C" NOT NULL,
     record TEXT NOT NULL,
     UNIQUE (bucket, key, version_id)
   );
   CREATE INDEX s3_versions_by_key ON s3_versions (bucket, key, seq);
   INSERT INTO s3_versions (bucket, key, version_id, record) SELECT bucket, key, 'null', record FROM s3_objects ORDER BY bucket, key;`,
  // 33: the fleet's nodes (heartbeats) and leases (one node at a time runs a singleton task)
  `CREATE TABLE fleet_nodes (
     id TEXT COLLATE "C" PRIMARY KEY,
     heartbeat_at BIGINT NOT NULL,
     stopped BOOLEAN NOT NULL,
     record TEXT NOT NULL
   );
   CREATE TABLE fleet_leases (
     name TEXT COLLATE "C" PRIMARY KEY,
     holder TEXT COLLATE "C" NOT NULL,
     expires_at BIGINT NOT NULL
   );
   CREATE INDEX fleet_leases_by_holder ON fleet_leases (holder);`,
  // 34: Lambda Managed Instances: capacity providers, and the scaling config of each published version on one
  `CREATE TABLE capacity_providers (
     name TEXT COLLATE "C" PRIMARY KEY,
     record TEXT NOT NULL
   );
   CREATE TABLE function_scaling_configs (
     function_name TEXT COLLATE "C" NOT NULL,
     qualifier TEXT COLLATE "C" NOT NULL,
     record TEXT NOT NULL,
     PRIMARY KEY (function_name, qualifier)
   );`,
  // 35: the node running each running async event, so a live node queues again only a dead node's
  `ALTER TABLE async_events ADD COLUMN node_id TEXT COLLATE "C";`,
  // 36: CloudWatch's composite alarms and dashboards, CloudWatch Logs' resource policies (documents by name)
  `CREATE TABLE cw_composite_alarms (
     key TEXT COLLATE "C" PRIMARY KEY,
     revision BIGINT NOT NULL,
     record TEXT NOT NULL
   );
   CREATE TABLE cw_dashboards (
     key TEXT COLLATE "C" PRIMARY KEY,
     revision BIGINT NOT NULL,
     record TEXT NOT NULL
   );
   CREATE TABLE log_resource_policies (
     key TEXT COLLATE "C" PRIMARY KEY,
     revision BIGINT NOT NULL,
     record TEXT NOT NULL
   );`,
  // 37: concurrency slots held across the fleet (one row per running invocation of a function with
  // reserved concurrency), taken by one call that counts only the slots of nodes that still beat (a
  // stopping node's count while it drains) under a lock per function
  `CREATE TABLE fleet_concurrency_slots (
     id BIGSERIAL PRIMARY KEY,
     function_name TEXT COLLATE "C" NOT NULL,
     holder TEXT COLLATE "C" NOT NULL,
     taken_at BIGINT NOT NULL
   );
   CREATE INDEX fleet_concurrency_slots_by_function ON fleet_concurrency_slots (function_name);
   CREATE INDEX fleet_concurrency_slots_by_holder ON fleet_concurrency_slots (holder);
   CREATE FUNCTION selfless_take_concurrency_slot(fn TEXT, node TEXT, lim INTEGER, alive_since BIGINT, at BIGINT) RETURNS BIGINT
   LANGUAGE plpgsql VOLATILE AS $$
   DECLARE
     held INTEGER;
     taken BIGINT;
   BEGIN
     -- Serialises takers of one function until commit; each statement below then sees the others' slots.
     PERFORM pg_advisory_xact_lock(1579089936, hashtext(current_schema() || '/' || fn));
     DELETE FROM fleet_concurrency_slots s WHERE s.function_name = fn AND s.holder <> node
       AND NOT EXISTS (SELECT 1 FROM fleet_nodes n WHERE n.id = s.holder AND n.heartbeat_at >= alive_since);
     SELECT count(*) INTO held FROM fleet_concurrency_slots WHERE function_name = fn;
     IF held >= lim THEN
       RETURN NULL;
     END IF;
     INSERT INTO fleet_concurrency_slots (function_name, holder, taken_at) VALUES (fn, node, at) RETURNING id INTO taken;
     RETURN taken;
   END $$;`,
  // 38: API Gateway's account settings (its CloudWatch role), one document
  `CREATE TABLE apigw_account (
     key TEXT COLLATE "C" PRIMARY KEY,
     revision BIGINT NOT NULL,
     record TEXT NOT NULL
   );`,
  // 39: EventBridge's connections and API destinations (documents by name; credentials stay in Secrets Manager)
  `CREATE TABLE events_connections (
     key TEXT COLLATE "C" PRIMARY KEY,
     revision BIGINT NOT NULL,
     record TEXT NOT NULL
   );
   CREATE TABLE events_api_destinations (
     key TEXT COLLATE "C" PRIMARY KEY,
     revision BIGINT NOT NULL,
     record TEXT NOT NULL
   );`,
  // 40: each node's share of the account's unreserved concurrency (leased in blocks, counted only
  // while its holder beats), resized by one call that grants at most what the live shares leave
  `CREATE TABLE fleet_pool_shares (
     holder TEXT COLLATE "C" PRIMARY KEY,
     slots INTEGER NOT NULL,
     updated_at BIGINT NOT NULL
   );
   CREATE FUNCTION selfless_resize_pool_share(node TEXT, want INTEGER, lim INTEGER, alive_since BIGINT, at BIGINT) RETURNS INTEGER
   LANGUAGE plpgsql VOLATILE AS $$
   DECLARE
     others INTEGER;
     granted INTEGER;
   BEGIN
     -- One resizer at a time (per schema) until commit: each sees the others' shares.
     PERFORM pg_advisory_xact_lock(1579089937, hashtext(current_schema()));
     DELETE FROM fleet_pool_shares s WHERE s.holder <> node
       AND NOT EXISTS (SELECT 1 FROM fleet_nodes n WHERE n.id = s.holder AND n.heartbeat_at >= alive_since);
     SELECT coalesce(sum(slots), 0) INTO others FROM fleet_pool_shares WHERE holder <> node;
     granted := greatest(0, least(want, lim - others));
     INSERT INTO fleet_pool_shares (holder, slots, updated_at) VALUES (node, granted, at)
       ON CONFLICT (holder) DO UPDATE SET slots = excluded.slots, updated_at = excluded.updated_at;
     RETURN granted;
   END $$;`,
  // 41: API Gateway's custom domain names (v1 and v2), each with its mappings
  `CREATE TABLE apigw_domain_names (
     key TEXT COLLATE "C" PRIMARY KEY,
     revision BIGINT NOT NULL,
     record TEXT NOT NULL
   );`,
  // 42: logs kept a row per stream per batch (rows/log-rows.ts): a request's lines are found in its function's rows
  `DROP INDEX log_records_by_request;`,
  // 43: the queue-order index holds only messages with a group id (FIFO's ready query): a standard queue's
  // message is one index fewer to write at send, receive and delete
  `DROP INDEX queue_messages_order;
   CREATE INDEX queue_messages_group_order ON queue_messages (queue, seq) WHERE group_id IS NOT NULL;`,
];
