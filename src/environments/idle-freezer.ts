/**
 * Freezes an idle environment's processes shortly after it asked for its next event, as Lambda does
 * between invocations. How soon depends on how it is used:
 * - an environment invoked now and then (a developer trying a function) is frozen 10 ms after it asked,
 *   so background work left running is stopped about when Lambda would stop it;
 * - one that is invoked again within 100 ms of going idle (under load) waits up to 100 ms before it
 *   is frozen: it is then neither stopped nor resumed between invocations that follow each other,
 *   which would cost two signals and a reschedule per invocation. Once left alone, it is frozen.
 */
import type { Clock, Timer } from '../lib/clock.js';
import type { LaunchedProcess } from './launcher.js';

/** How long an environment invoked now and then keeps running once idle. */
export const FREEZE_AFTER_MS = 10;
/** How long a busy environment keeps running once idle; an idle spell shorter than this makes it busy. */
export const BUSY_FREEZE_AFTER_MS = 100;

export class IdleFreezer {
  private timer: Timer | undefined;
  private isFrozen = false;
  /** When the environment last went idle, while it is idle. */
  private idleSince: number | undefined;
  /** Whether the last idle spell ended within BUSY_FREEZE_AFTER_MS. */
  private busy = false;

  constructor(
    private readonly process: () => LaunchedProcess,
    private readonly clock: Clock,
  ) {}

  get frozen(): boolean {
    return this.isFrozen;
  }

  /** Freezes the processes soon, if the environment is still idle then. */
  freezeSoon(stillIdle: () => boolean): void {
    this.timer?.cancel();
    this.idleSince = this.clock.monotonic();
    this.timer = this.clock.setTimeout(
      () => {
        this.timer = undefined;
        if (!stillIdle()) return;
        this.process().freeze();
        this.isFrozen = true;
      },
      this.busy ? BUSY_FREEZE_AFTER_MS : FREEZE_AFTER_MS,
    );
  }

  /** Cancels a pending freeze and thaws the processes if they are frozen: an invocation begins. */
  unfreeze(): void {
    if (this.idleSince !== undefined) this.busy = this.clock.monotonic() - this.idleSince < BUSY_FREEZE_AFTER_MS;
    this.idleSince = undefined;
    this.cancel();
    if (!this.isFrozen) return;
    this.isFrozen = false;
    this.process().thaw();
  }

  cancel(): void {
    this.timer?.cancel();
    this.timer = undefined;
  }
}
