/** EventBridge's tagging operations, on buses and rules named by ARN: parse, call the bus or rule service, render. */
import type { EventSystem } from '../event-system.js';
import { DEFAULT_BUS } from '../model.js';
import type { Account } from '../../../wire/arn.js';
import { EventsErrors } from '../../../wire/errors.js';
import { arnTagHandlers } from '../../../api/arn-tag-handlers.js';
import type { OperationHandler } from '../../../api/service.js';

type Resource = { kind: 'bus'; bus: string } | { kind: 'rule'; bus: string; rule: string };

/** `...:event-bus/NAME`, `...:rule/NAME` (default bus) or `...:rule/BUS/NAME`, in this account and region. */
function resourceOf(account: Account, arn: string): Resource {
  const prefix = `arn:aws:events:${account.region}:${account.accountId}:`;
  const rest = arn.startsWith(prefix) ? arn.slice(prefix.length) : '';
  if (rest.startsWith('event-bus/')) return { kind: 'bus', bus: rest.slice('event-bus/'.length) };
  if (rest.startsWith('rule/')) {
    const parts = rest.slice('rule/'.length).split('/');
    return parts.length === 1 ? { kind: 'rule', bus: DEFAULT_BUS, rule: parts[0]! } : { kind: 'rule', bus: parts[0]!, rule: parts.slice(1).join('/') };
  }
  throw EventsErrors.resourceNotFound(`Resource ${arn} does not exist.`);
}

export function tagHandlers(events: EventSystem, account: Account): Record<string, OperationHandler> {
  return arnTagHandlers('ResourceARN', {
    async change(arn, add, remove) {
      const r = resourceOf(account, arn);
      if (r.kind === 'bus') await events.buses.tag(r.bus, add, remove);
      else await events.rules.tag(r.bus, r.rule, add, remove);
    },
    async list(arn) {
      const r = resourceOf(account, arn);
      return r.kind === 'bus' ? (await events.buses.get(r.bus)).tags : (await events.rules.get(r.bus, r.rule)).tags;
    },
  });
}
