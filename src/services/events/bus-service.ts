/** Event buses: the default bus, which always exists, and custom buses. */
import type { Clock } from '../../lib/clock.js';
import type { EventBridgeRepo } from '../../storage/store.js';
import { EventsErrors, ProtocolErrors } from '../../wire/errors.js';
import { DEFAULT_BUS, type EventBusRecord } from './model.js';
import { decodePageToken, encodePageToken, type Page } from './paging.js';

const BUS_NAME = /^[/.\-_A-Za-z0-9]{1,256}$/;

export class BusService {
  constructor(
    private readonly repo: EventBridgeRepo,
    private readonly clock: Clock,
  ) {}

  /** The default bus exists from the first start on. */
  async ensureDefault(): Promise<void> {
    const now = this.clock.now();
    await this.repo.createBus({ name: DEFAULT_BUS, createdAt: now, modifiedAt: now });
  }

  async create(name: string, description: string | undefined, tags: Record<string, string> = {}): Promise<EventBusRecord> {
    // Names with a slash are partner buses (aws.partner/...), which need an event source.
    if (!BUS_NAME.test(name) || name.includes('/')) throw ProtocolErrors.validation(`Event bus name ${name} is not valid.`);
    const now = this.clock.now();
    const bus: EventBusRecord = { name, createdAt: now, modifiedAt: now, ...(description !== undefined ? { description } : {}), ...(Object.keys(tags).length > 0 ? { tags } : {}) };
    if (!(await this.repo.createBus(bus))) throw EventsErrors.resourceAlreadyExists(`Event bus ${name} already exists.`);
    return bus;
  }

  async get(name: string): Promise<EventBusRecord> {
    const bus = await this.repo.getBus(name);
    if (!bus) throw EventsErrors.resourceNotFound(`Event bus ${name} does not exist.`);
    return bus;
  }

  async list(prefix: string, limit: number | undefined, token: string | undefined): Promise<Page<EventBusRecord>> {
    const size = limit ?? 100;
    const items = await this.repo.listBuses(prefix, decodePageToken(token), size + 1);
    return { items: items.slice(0, size), nextToken: items.length > size ? encodePageToken(items[size - 1]!.name) : undefined };
  }

  /** Adds and removes a bus's tags (a key given again takes the new value). */
  async tag(name: string, add: Record<string, string>, remove: readonly string[]): Promise<void> {
    const bus = await this.get(name);
    const tags = { ...bus.tags, ...add };
    for (const k of remove) delete tags[k];
    if (!(await this.repo.updateBus({ ...bus, tags }))) throw EventsErrors.resourceNotFound(`Event bus ${name} does not exist.`);
  }

  /** Replaces a bus's policy with what `change` makes of it (undefined: none). */
  async changePolicy(name: string, change: (policy: string | undefined) => string | undefined): Promise<void> {
    const bus = await this.get(name);
    const { policy: _old, ...rest } = bus;
    const policy = change(bus.policy);
    const next: EventBusRecord = { ...rest, modifiedAt: this.clock.now(), ...(policy !== undefined ? { policy } : {}) };
    if (!(await this.repo.updateBus(next))) throw EventsErrors.resourceNotFound(`Event bus ${name} does not exist.`);
  }

  /** Deleting a bus that is not there succeeds, as in EventBridge; the default bus cannot go. */
  async delete(name: string): Promise<void> {
    if (name === DEFAULT_BUS) throw ProtocolErrors.validation('Cannot delete event bus default.');
    await this.repo.deleteBus(name);
  }
}
