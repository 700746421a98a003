/** The embedded store: one SQLite file in the data dir, WAL mode, migrations applied at open; code packages as files beside it. */
import { ApiDestinationRecordSchema, ConnectionRecordSchema } from '../../services/events/connection-model.js';
import { singleNodeSignals } from '../change-signals.js';
import { SqliteEventArchiveRepo } from './event-archive-repo.js';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Store } from '../store.js';
import { SqliteDocumentRepo } from './document-repo.js';
import { CompositeAlarmRecordSchema } from '../../alarms/composite-model.js';
import { DashboardRecordSchema } from '../../domain/dashboard.js';
import { LogResourcePolicyRecordSchema } from '../../services/logs/model.js';
import { SqliteFleetRepo } from './fleet-repo.js';
import { SqliteCapacityProviderRepo, SqliteFunctionScalingRepo } from './capacity-provider-repo.js';
import { SqliteAlarmRepo } from './alarm-repo.js';
import { FileCodePackageRepo } from './code-package-repo.js';
import { SqliteAsyncEventRepo } from './async-event-repo.js';
import { SqliteEventInvokeConfigRepo } from './event-invoke-config-repo.js';
import { SqliteEventSourceMappingRepo } from './event-source-mapping-repo.js';
import { SqliteFunctionRepo } from './function-repo.js';
import { SqliteLogRepo } from './log-repo.js';
import { SqliteDeploymentRepo } from './deployment-repo.js';
import { SqliteLayerRepo } from './layer-repo.js';
import { SqliteMetricsRepo } from './metrics-repo.js';
import { MIGRATIONS } from './migrations.js';
import { checkpointInBackground } from './wal-checkpoints.js';
import { SqliteAliasRepo, SqliteProvisionedConcurrencyRepo, SqliteVersionRepo } from './version-repos.js';
import { SqliteQueueRepo } from './queue-repo.js';
import { SqliteSessionRepo } from './session-repo.js';
// S3
import { SqliteS3Repo } from './s3-repo.js';
import { sqliteSecretsStore } from './secrets-store.js';
import { sqliteApiGatewayV2Store } from './apigatewayv2-store.js';
import { SqliteCustomMetricRepo } from './custom-metric-repo.js';
import { SqliteDynamoDbRepo } from './dynamodb-repo.js';
import { DiskBlobStore } from '../../services/s3/disk-blobs.js';
import { SqliteSnsRepo } from './sns-repo.js';
import { sqliteApiGatewayRepo } from './apigateway-repo.js';
import { SqliteEventBridgeRepo } from './event-bridge-repo.js';
import { SqliteScheduleStateRepo } from './schedule-state-repo.js';
import { SqliteSchedulerRepo } from './scheduler-repo.js';
import { SqliteEventDeliveryRepo } from './event-delivery-repo.js';
import { sqliteEcrStore, sqliteIamStore } from './iam-ecr-store.js';
import { sqliteLogFilterStore } from './log-filter-store.js';
import { SqliteKinesisRepo } from './kinesis-repo.js';
import { SqliteStreamCheckpointRepo } from './stream-checkpoint-repo.js';
import { SqliteCloudFormationRepo } from './cloudformation-repo.js';
import { sqliteCodeDeployStore } from './codedeploy-store.js';

export function openSqliteStore(dataDir: string): Store {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, 'selfless.db');
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  // NORMAL survives a killed process (not a power cut), at a fraction of FULL's fsync cost.
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  migrate(db);
  const checkpoints = checkpointInBackground(db, file);
  return {
    functions: new SqliteFunctionRepo(db),
    logs: new SqliteLogRepo(db),
    queues: new SqliteQueueRepo(db),
    asyncEvents: new SqliteAsyncEventRepo(db),
    eventInvokeConfigs: new SqliteEventInvokeConfigRepo(db),
    eventSourceMappings: new SqliteEventSourceMappingRepo(db),
    metrics: new SqliteMetricsRepo(db),
    versions: new SqliteVersionRepo(db),
    layers: new SqliteLayerRepo(db),
    deployments: new SqliteDeploymentRepo(db),
    alarms: new SqliteAlarmRepo(db),
    compositeAlarms: new SqliteDocumentRepo(db, 'cw_composite_alarms', CompositeAlarmRecordSchema),
    dashboards: new SqliteDocumentRepo(db, 'cw_dashboards', DashboardRecordSchema),
    logResourcePolicies: new SqliteDocumentRepo(db, 'log_resource_policies', LogResourcePolicyRecordSchema),
    eventConnections: new SqliteDocumentRepo(db, 'events_connections', ConnectionRecordSchema),
    apiDestinations: new SqliteDocumentRepo(db, 'events_api_destinations', ApiDestinationRecordSchema),
    aliases: new SqliteAliasRepo(db),
    provisioned: new SqliteProvisionedConcurrencyRepo(db),
    capacityProviders: new SqliteCapacityProviderRepo(db),
    functionScaling: new SqliteFunctionScalingRepo(db),
    codePackages: new FileCodePackageRepo(join(dataDir, 'code', 'blobs')),
    sessions: new SqliteSessionRepo(db),
    fleet: new SqliteFleetRepo(db),
    s3: new SqliteS3Repo(db),
    vault: sqliteSecretsStore(db),
    apigatewayv2: sqliteApiGatewayV2Store(db),
    customMetrics: new SqliteCustomMetricRepo(db),
    dynamodb: new SqliteDynamoDbRepo(db),
    s3Blobs: new DiskBlobStore(join(dataDir, 's3')),
    sns: new SqliteSnsRepo(db),
    apigateway: sqliteApiGatewayRepo(db),
    eventBridge: new SqliteEventBridgeRepo(db),
    scheduleStates: new SqliteScheduleStateRepo(db),
    scheduler: new SqliteSchedulerRepo(db),
    eventArchives: new SqliteEventArchiveRepo(db),
    eventDeliveries: new SqliteEventDeliveryRepo(db),
    iam: sqliteIamStore(db),
    logFilters: sqliteLogFilterStore(db),
    ecr: sqliteEcrStore(db),
    kinesis: new SqliteKinesisRepo(db),
    streamCheckpoints: new SqliteStreamCheckpointRepo(db),
    cloudformation: new SqliteCloudFormationRepo(db),
    codedeploy: sqliteCodeDeployStore(db),
    signals: singleNodeSignals(),
    close: async () => {
      await checkpoints.stop();
      db.close();
    },
  };
}

function migrate(db: Database.Database): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  for (let i = current; i < MIGRATIONS.length; i++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[i]!);
      db.pragma(`user_version = ${i + 1}`);
    })();
  }
}
