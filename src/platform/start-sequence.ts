/** Starts what runs in the background, once the server listens: work a previous server left first. */
import type { CloudFormationSystem } from '../services/cloudformation/cloudformation-system.js';
import type { Parts } from './parts.js';

export async function startBackground(p: Parts, cloudformation: CloudFormationSystem): Promise<void> {
  void p.lambda.provisioned.restore();
  void p.lambda.managed.restore().catch((err: unknown) => p.f.logger.warn('could not restore managed-instances environments', { error: String(err) }));
  await p.events.asyncSystem.events.start(); // events a previous server left queued or running
  await p.streams.mappings.start(); // pollers of enabled event source mappings
  await p.messaging.sns.resume(); // HTTP deliveries a previous server left waiting for a retry
  await p.events.eventSystem.start(); // the default event bus; scheduled rules join the core
  await p.events.scheduler.start(); // the default schedule group; schedules join the core
  p.events.scheduling.start(); // the core runs if this node holds the schedules lease
  p.invocation.metrics.start();
  await p.monitoring.deployments.restore();
  await p.monitoring.codedeploy.restore(); // after the gradual deployments it waits on
  p.monitoring.alarms.start();
  p.logs.logRetention.start();
  p.messaging.s3.lifecycle.start();
  p.streams.dynamodb.start();
  p.streams.kinesis.start(); // retention sweeps
  p.f.vault.start(); // scheduled secret rotations
  await cloudformation.start(); // stack operations a previous server left under way
}
