/** What every function event source shares: its inputs, property checks, and the invoke permission. */
import { invalidEvent, invalidResource } from '../errors.js';
import { logicalIdHash } from '../hash.js';
import { isObject, type Json, type JsonObject } from '../intrinsics.js';
import { cfn, type CfnResource, type PassThrough } from '../model.js';
import type { Translation } from '../translation.js';

/** What an event invokes: the function, or its alias when AutoPublishAlias is set. */
export interface EventTarget {
  functionId: string;
  logicalId: string;
  /** `FunctionName` for permissions and mappings (Ref of the function or the alias). */
  name: Json;
  /** The ARN (GetAtt Arn of the function, or Ref of the alias). */
  arn: Json;
  attributes: PassThrough;
  condition: Json | undefined;
}

export interface EventInput {
  /** The event's key under Events. */
  eventId: string;
  /** Its Type (SQS, Api...). */
  type: string;
  /** Function id + event id: the prefix of what the event generates. */
  logicalId: string;
  properties: JsonObject;
  target: EventTarget;
  /** The function's execution role (generated even when the function names its own, as in SAM). */
  role: CfnResource;
  t: Translation;
}

/** Refuses unknown and missing properties, in samtranslator's words. */
export function checkProperties(input: EventInput, known: readonly string[], required: readonly string[]): void {
  for (const name of Object.keys(input.properties)) {
    if (!known.includes(name)) throw invalidResource(input.logicalId, `property ${name} not defined for resource of type ${input.type}`);
  }
  for (const name of required) {
    const v = input.properties[name];
    if (v === undefined || v === null) throw invalidResource(input.logicalId, `Missing required property '${name}'.`);
  }
}


export function eventError(input: EventInput, message: string): Error {
  return invalidEvent(input.eventId, message);
}

/** The Lambda permission a push source needs; the suffix is appended as is, or hashed when not alphanumeric. */
export function permission(
  input: EventInput,
  principal: string,
  props: { SourceArn?: Json; SourceAccount?: Json; suffix?: string; prefix?: string },
): [string, CfnResource] {
  const prefix = props.prefix ?? input.logicalId;
  const suffix = props.suffix ?? '';
  const id = suffix === '' || /^[A-Za-z0-9]+$/.test(suffix) ? `${prefix}Permission${suffix}` : `${prefix}Permission${logicalIdHash(suffix)}`;
  return [
    id,
    cfn(
      'AWS::Lambda::Permission',
      { Action: 'lambda:InvokeFunction', FunctionName: input.target.name, Principal: principal, SourceArn: props.SourceArn, SourceAccount: props.SourceAccount },
      { ...input.target.attributes },
    ),
  ];
}

export const asObject = (v: Json | undefined): JsonObject | undefined => (isObject(v) ? v : undefined);
