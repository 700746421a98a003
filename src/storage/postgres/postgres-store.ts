/**
 * The fleet's store: one PostgreSQL database (or schema, through the URL's search_path) that every
 * node shares, code packages included. Migrations are applied at open.
 */
import { ApiDestinationRecordSchema, ConnectionRecordSchema } from '../../services/events/connection-model.js';
import { PostgresEventArchiveRepo } from './event-archive-repo.js';
import type { Store } from '../store.js';
import { PostgresDocumentRepo } from './document-repo.js';
import { CompositeAlarmRecordSchema } from '../../alarms/composite-model.js';
import { DashboardRecordSchema } from '../../domain/dashboard.js';
import { LogResourcePolicyRecordSchema } from '../../services/logs/model.js';
import { PostgresFleetRepo } from './fleet-repo.js';
import { PostgresCapacityProviderRepo, PostgresFunctionScalingRepo } from './capacity-provider-repo.js';
import { PostgresAlarmRepo } from './alarm-repo.js';
import { PostgresAsyncEventRepo } from './async-event-repo.js';
import { PostgresCodePackageRepo } from './code-package-repo.js';
import { PostgresChangeSignals } from './change-signals.js';
import { createPool } from './db.js';
import { PostgresDeploymentRepo } from './deployment-repo.js';
import { PostgresEventInvokeConfigRepo } from './event-invoke-config-repo.js';
import { PostgresEventSourceMappingRepo } from './event-source-mapping-repo.js';
import { PostgresFunctionRepo } from './function-repo.js';
import { PostgresLayerRepo } from './layer-repo.js';
import { PostgresLogRepo } from './log-repo.js';
import { PostgresMetricsRepo } from './metrics-repo.js';
import { migrate } from './migrate.js';
import { PostgresQueueRepo } from './queue-repo.js';
import { PostgresSessionRepo } from './session-repo.js';
// S3
import { PostgresS3Repo } from './s3-repo.js';
import { postgresSecretsStore } from './secrets-store.js';
import { postgresApiGatewayV2Store } from './apigatewayv2-store.js';
import { PostgresCustomMetricRepo } from './custom-metric-repo.js';
import { PostgresDynamoDbRepo } from './dynamodb-repo.js';
import { PostgresBlobStore } from './s3-blobs.js';
import { PostgresSnsRepo } from './sns-repo.js';
import { postgresApiGatewayRepo } from './apigateway-repo.js';
import { PostgresEventBridgeRepo } from './event-bridge-repo.js';
import { PostgresScheduleStateRepo } from './schedule-state-repo.js';
import { PostgresSchedulerRepo } from './scheduler-repo.js';
import { PostgresEventDeliveryRepo } from './event-delivery-repo.js';
import { postgresEcrStore, postgresIamStore } from './iam-ecr-store.js';
import { postgresLogFilterStore } from './log-filter-store.js';
import { PostgresKinesisRepo } from './kinesis-repo.js';
import { PostgresStreamCheckpointRepo } from './stream-checkpoint-repo.js';
import { postgresCodeDeployStore } from './codedeploy-store.js';
import { PostgresAliasRepo, PostgresProvisionedConcurrencyRepo, PostgresVersionRepo } from './version-repos.js';
import { PostgresCloudFormationRepo } from './cloudformation-repo.js';

export async function openPostgresStore(url: string): Promise<Store> {
  const db = createPool(url);
  let signals: PostgresChangeSignals;
  try {
    await migrate(db);
    signals = await PostgresChangeSignals.open(db, url);
  } catch (err) {
    await db.end();
    throw err;
  }
  return {
    signals,
    functions: new PostgresFunctionRepo(db),
    logs: new PostgresLogRepo(db),
    queues: new PostgresQueueRepo(db),
    asyncEvents: new PostgresAsyncEventRepo(db),
    eventInvokeConfigs: new PostgresEventInvokeConfigRepo(db),
    eventSourceMappings: new PostgresEventSourceMappingRepo(db),
    metrics: new PostgresMetricsRepo(db),
    versions: new PostgresVersionRepo(db),
    layers: new PostgresLayerRepo(db),
    deployments: new PostgresDeploymentRepo(db),
    alarms: new PostgresAlarmRepo(db),
    compositeAlarms: new PostgresDocumentRepo(db, 'cw_composite_alarms', CompositeAlarmRecordSchema),
    dashboards: new PostgresDocumentRepo(db, 'cw_dashboards', DashboardRecordSchema),
    logResourcePolicies: new PostgresDocumentRepo(db, 'log_resource_policies', LogResourcePolicyRecordSchema),
    eventConnections: new PostgresDocumentRepo(db, 'events_connections', ConnectionRecordSchema),
    apiDestinations: new PostgresDocumentRepo(db, 'events_api_destinations', ApiDestinationRecordSchema),
    aliases: new PostgresAliasRepo(db),
    provisioned: new PostgresProvisionedConcurrencyRepo(db),
    capacityProviders: new PostgresCapacityProviderRepo(db),
    functionScaling: new PostgresFunctionScalingRepo(db),
    codePackages: new PostgresCodePackageRepo(db),
    sessions: new PostgresSessionRepo(db),
    fleet: new PostgresFleetRepo(db),
    s3: new PostgresS3Repo(db),
    vault: postgresSecretsStore(db),
    apigatewayv2: postgresApiGatewayV2Store(db),
    customMetrics: new PostgresCustomMetricRepo(db),
    dynamodb: new PostgresDynamoDbRepo(db),
    s3Blobs: new PostgresBlobStore(db),
    sns: new PostgresSnsRepo(db),
    apigateway: postgresApiGatewayRepo(db),
    eventBridge: new PostgresEventBridgeRepo(db),
    scheduleStates: new PostgresScheduleStateRepo(db),
    scheduler: new PostgresSchedulerRepo(db),
    eventArchives: new PostgresEventArchiveRepo(db),
    eventDeliveries: new PostgresEventDeliveryRepo(db),
    iam: postgresIamStore(db),
    logFilters: postgresLogFilterStore(db),
    ecr: postgresEcrStore(db),
    kinesis: new PostgresKinesisRepo(db),
    streamCheckpoints: new PostgresStreamCheckpointRepo(db),
    cloudformation: new PostgresCloudFormationRepo(db),
    codedeploy: postgresCodeDeployStore(db),
    close: async () => {
      await signals.close();
      await db.end();
    },
  };
}
