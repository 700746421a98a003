/** A function's Events, each handed to the translator of its Type, in samtranslator's order. */
import { invalidResource, SamCause } from '../errors.js';
import { isObject, type JsonObject } from '../intrinsics.js';
import type { CfnResource, SamResource } from '../model.js';
import type { Emitted, Translation } from '../translation.js';
import { translateApiEvent } from './api.js';
import type { EventInput, EventTarget } from './common.js';
import { translateHttpApiEvent } from './http-api.js';
import { translatePull } from './pull.js';
import { translateRule } from './rule.js';
import { translateS3 } from './s3.js';
import { translateScheduleV2 } from './schedule-v2.js';
import { translateSns } from './sns.js';

export type { EventTarget } from './common.js';

const TRANSLATORS: Record<string, (input: EventInput) => Emitted> = {
  SQS: translatePull,
  Kinesis: translatePull,
  DynamoDB: translatePull,
  SNS: translateSns,
  S3: translateS3,
  Schedule: translateRule,
  CloudWatchEvent: translateRule,
  EventBridgeRule: translateRule,
  ScheduleV2: translateScheduleV2,
  Api: translateApiEvent,
  HttpApi: translateHttpApiEvent,
};

/** Event types samtranslator knows that this transform refuses rather than drops. */
const UNSUPPORTED = new Set(['MSK', 'MQ', 'SelfManagedKafka', 'DocumentDB', 'CloudWatchLogs', 'IoTRule', 'AlexaSkill', 'Cognito']);

export function translateEvents(sam: SamResource, target: EventTarget, role: CfnResource, t: Translation): Emitted {
  const events = sam.properties['Events'];
  if (!isObject(events)) return [];
  // Sorted by Path (else the event id), so that an HTTP API's "$default" route comes before "/...".
  const entries = Object.entries(events).sort(([aId, a], [bId, b]) => {
    const ka = sortKey(aId, a);
    const kb = sortKey(bId, b);
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  });
  const out: Emitted = [];
  for (const [eventId, event] of entries) {
    const type = isObject(event) ? event['Type'] : undefined;
    const translate = typeof type === 'string' ? TRANSLATORS[type] : undefined;
    if (typeof type === 'string' && UNSUPPORTED.has(type)) {
      throw new SamCause(`Resource with id [${sam.logicalId}] has a ${type} event, which Selfless's SAM transform does not support yet.`);
    }
    if (!translate) {
      throw invalidResource(
        sam.logicalId,
        `Event with id [${eventId}] is invalid. Resource dict has missing or invalid value for key Type. Event Type is: ${type === undefined ? 'None' : String(type)}.`,
      );
    }
    const props = isObject(event) && isObject(event['Properties']) ? event['Properties'] : {};
    try {
      out.push(...translate({ eventId, type: type as string, logicalId: sam.logicalId + eventId, properties: props as JsonObject, target, role, t }));
    } catch (e) {
      // Event errors are reported against the function, as samtranslator does.
      if (e instanceof SamCause && e.message.startsWith('Event with id [')) throw invalidResource(sam.logicalId, e.message);
      throw e;
    }
  }
  return out;
}

function sortKey(id: string, event: unknown): string {
  if (!isObject(event)) return id;
  const props = event['Properties'];
  const path = isObject(props) ? props['Path'] : undefined;
  return typeof path === 'string' ? path : id;
}
