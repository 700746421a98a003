/**
 * Freezes an idle environment's processes shortly after it asked for its next event: an environment
 * that is invoked again at once (under load) is neither stopped nor resumed, which would cost two
 * signals and a reschedule per invocation; one left idle stops running, as on Lambda.
 */
import type { Clock, Timer } from '../lib/clock.js';
import type { LaunchedProcess } from './launcher.js';

/** How long an idle environment keeps running before it is frozen. */
const FREEZE_AFTER_MS = 10;

export class IdleFreezer {
  private timer: Timer | undefined;
  private isFrozen = false;

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
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      if (!stillIdle()) return;
      this.process().freeze();
      this.isFrozen = true;
    }, FREEZE_AFTER_MS);
  }

  /** Cancels a pending freeze and thaws the processes if they are frozen. */
  unfreeze(): void {
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
