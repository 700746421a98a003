/** Stops the platform. The order matters: each step says what it must come before or after. */
import type { HttpServer } from '../api/http-server.js';
import type { CloudFormationSystem } from '../services/cloudformation/cloudformation-system.js';
import type { Parts } from './parts.js';

export async function stopPlatform(p: Parts, cloudformation: CloudFormationSystem, http: HttpServer): Promise<void> {
  const { config, logger, store, vault, parametersSecrets } = p.f;
  const { pools, zygotes, cgroups, spawner } = p.lambda;
  const { invoker, queues, metrics } = p.invocation;
  const { asyncSystem, schedules, eventSystem } = p.events;
  const { alarms, compositeAlarms, deployments, codedeploy } = p.monitoring;
  const { dynamodb, kinesis, mappings } = p.streams;
  const { sns, s3 } = p.messaging;
  const { webSockets } = p.gateways;
  const { logSink, functionLogs, filteredLogs, logSubscriptions, logRetention, liveTails } = p.logs;

  await alarms.stop(); // no evaluation or action once the rest begins to stop
  await compositeAlarms.stop(); // after the alarms, whose changes it follows: no composite changes state or ends a wait
  // Pollers first: no new batches; batches under way settle (a stream's next holder starts from
  // their checkpoints) before the leases go.
  await mappings.stop(config.shutdownGraceMs + 1000);
  await p.fleet.member.leave(); // the leases it held are free for the other nodes at once
  await cloudformation.stop(config.shutdownGraceMs); // stack operations under way settle, or resume at the next start
  await schedules.stop(); // nothing fires once the rest begins to stop
  await eventSystem.stop(); // no new event deliveries; those under way settle
  await webSockets.apis.close(); // clients told, $disconnect invoked while functions still run
  vault.stop();
  await s3.lifecycle.stop();
  await sns.stop(); // HTTP retries cancelled; SQS and Lambda deliveries under way finish
  await queues.stop(); // ends long polls at once
  liveTails.close(); // Live Tail streams end: their connections must not hold the HTTP server's close
  asyncSystem.events.stop();
  await invoker.drain(config.shutdownGraceMs);
  await Promise.all([pools.stopAll('the server is shutting down'), zygotes.stopAll()]);
  // Invocations ended by the stop above still owe their callers an answer.
  await invoker.drain(1000);
  await asyncSystem.events.drain(); // outcomes recorded before the store closes
  await http.close();
  p.fleet.forwarding?.close(); // after the last relayed answer
  await parametersSecrets.close();
  await logSink.flush();
  await functionLogs.drain(); // EMF metrics stored before the store closes
  await filteredLogs.stop();
  await logSubscriptions.drain();
  await logRetention.stop();
  await dynamodb.stop();
  await kinesis.stop();
  codedeploy.stop();
  deployments.stop();
  await metrics.stop();
  await store.close();
  cgroups.dispose();
  spawner.stop();
  logger.info('selfless stopped');
}
