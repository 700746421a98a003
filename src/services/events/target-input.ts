/**
 * What a rule's target receives (Target.Input, InputPath, InputTransformer), rendered from the event.
 * Templates follow EventBridge's quoting: a placeholder inside a JSON string takes a string's contents
 * without quotes (escaped for JSON); outside a string it takes the value as JSON (strings quoted).
 * A template that is not JSON text (it starts with neither `{`, `[` nor `"`) is plain text, and
 * takes strings as they are.
 */
import { parseJsonPath, valueAt } from './json-path.js';
import type { EventEnvelope, TargetInput } from './model.js';

export interface RuleContext {
  /** The rule's ARN (or a Scheduler schedule's): what a function's resource policy names as source. */
  ruleArn: string;
  ruleName: string;
  /** Epoch ms when the bus took the event. */
  ingestedAt: number;
  /** Scheduler names the source of a dead letter SCHEDULE_ARN; EventBridge, RULE_ARN. */
  sourceAttribute?: 'RULE_ARN' | 'SCHEDULE_ARN';
  /** Scheduler invokes with its execution role: no function resource policy to check. */
  viaRole?: boolean;
}

/** Names EventBridge reserves for its own values in templates. */
const RESERVED = 'aws.events.';

/** Checks a target's input settings as PutTargets does; returns the reason it refuses, if it does. */
export function inputProblem(input: TargetInput): string | undefined {
  switch (input.kind) {
    case 'event':
      return undefined;
    case 'constant':
      return isJson(input.json) ? undefined : 'Input is not valid JSON text.';
    case 'path':
      return parseJsonPath(input.path) ? undefined : `InputPath ${input.path} is not a valid JSON path.`;
    case 'transformer': {
      const entries = Object.entries(input.transformer.pathsMap);
      if (entries.length > 100) return 'InputPathsMap has more than 100 entries.';
      for (const [name, path] of entries) {
        if (name.startsWith(RESERVED)) return `InputPathsMap key ${name} is reserved.`;
        if (!parseJsonPath(path)) return `InputPathsMap value ${path} is not a valid JSON path.`;
      }
      return undefined;
    }
  }
}

/** The body the target gets, as text. */
export function renderTargetInput(input: TargetInput, event: EventEnvelope, rule: RuleContext): string {
  switch (input.kind) {
    case 'event':
      return JSON.stringify(event);
    case 'constant':
      return input.json;
    case 'path': {
      const v = valueAt(event, parseJsonPath(input.path) ?? []);
      return v === undefined ? '' : JSON.stringify(v);
    }
    case 'transformer': {
      const values = new Map<string, unknown>();
      for (const [name, path] of Object.entries(input.transformer.pathsMap)) values.set(name, valueAt(event, parseJsonPath(path) ?? []));
      const { detail: _detail, ...withoutDetail } = event;
      values.set('aws.events.rule-arn', rule.ruleArn);
      values.set('aws.events.rule-name', rule.ruleName);
      values.set('aws.events.event.ingestion-time', new Date(rule.ingestedAt).toISOString());
      values.set('aws.events.event', withoutDetail);
      values.set('aws.events.event.json', event);
      return fillTemplate(input.transformer.template, values);
    }
  }
}

export function fillTemplate(template: string, values: ReadonlyMap<string, unknown>): string {
  const json = /^\s*[{["]/.test(template);
  let out = '';
  let inString = false;
  for (let i = 0; i < template.length; i++) {
    const c = template[i]!;
    if (c === '\\' && inString) {
      out += c + (template[i + 1] ?? '');
      i++;
      continue;
    }
    if (c === '"') inString = !inString;
    if (c === '<') {
      const end = template.indexOf('>', i + 1);
      const name = end > i ? template.slice(i + 1, end) : undefined;
      if (name !== undefined && values.has(name)) {
        out += placeholder(values.get(name), json ? (inString ? 'in-string' : 'json') : 'text');
        i = end;
        continue;
      }
    }
    out += c;
  }
  return out;
}

function placeholder(v: unknown, where: 'in-string' | 'json' | 'text'): string {
  if (where === 'json') return v === undefined ? 'null' : JSON.stringify(v);
  const text = v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v);
  return where === 'in-string' ? JSON.stringify(text).slice(1, -1) : text;
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
