/**
 * The one port: Selfless's own routes on the admin server, front doors (function URLs, API Gateway
 * APIs) told apart from AWS API calls by Host or path, and the AWS APIs through the router.
 */
import { adminRoutes } from '../api/admin.js';
import { startAdminServer } from '../api/admin-server.js';
import { alarmRoutes } from '../api/alarms.js';
import { asyncAdminRoutes } from '../api/async-admin.js';
import { codeDownloadRoutes } from '../api/code-download.js';
import { deploymentRoutes } from '../api/deployments.js';
import { eventsAdminRoutes } from '../api/events-admin.js';
import { FrontDoors } from '../api/front-door.js';
import { startHttpServer } from '../api/http-server.js';
import { metricsRoutes } from '../api/metrics.js';
import type { AwsRouter } from '../api/router.js';
import { serverNames } from '../security/tls/authority.js';
import { FunctionUrlDoor } from '../services/function-urls/url-door.js';
import { snsSigningCertRoute } from '../services/sns/api/signing-cert.js';
import { fleetAdminRoutes } from '../api/fleet-admin.js';
import type { Parts } from './parts.js';

export async function serveHttp(p: Parts, router: AwsRouter) {
  const { config, store, clock, account, authenticator, authority, addresses } = p.f;
  const { functions, pools, zygotes, managed, codeLinks } = p.lambda;
  const { invoker, metrics, prometheus } = p.invocation;
  const { asyncSystem, eventSystem, scheduler } = p.events;
  const { alarms, deployments } = p.monitoring;
  const { apigateway, httpApis, webSockets } = p.gateways;
  const admin = await startAdminServer((app) => {
    adminRoutes(functions, pools, zygotes, managed, account)(app);
    asyncAdminRoutes(asyncSystem.events, account)(app);
    metricsRoutes(functions, metrics, prometheus, account)(app);
    deploymentRoutes(deployments, functions, account)(app);
    alarmRoutes(alarms)(app);
    eventsAdminRoutes(eventSystem, scheduler, store.scheduleStates)(app);
    snsSigningCertRoute(p.messaging.sns.signer)(app);
    codeDownloadRoutes(codeLinks, store.codePackages)(app);
    fleetAdminRoutes(p.fleet.member)(app);
  }, { loopbackOnly: authenticator.verifies });
  // Function URLs and API Gateway APIs, told apart from AWS API calls by Host or path.
  const doors = new FrontDoors(config.publicUrl ? [new URL(config.publicUrl).hostname] : []);
  doors.add(new FunctionUrlDoor({ functions, invoker, account, clock, authenticator }));
  doors.add(apigateway.door);
  doors.add(httpApis);
  doors.add(webSockets.door);
  doors.domains = p.gateways.domainRouter;
  await webSockets.apis.start(); // connection records a previous run of this node left, cleared before any handshake
  const http = await startHttpServer(router, admin, doors, config.port, config.host, authority && { port: config.tlsPort!, ...authority.issue(serverNames(config.host)) });
  const tlsUrl = addresses.listening(http, config.host, config.publicUrl, config.region);
  return { http, tlsUrl };
}
