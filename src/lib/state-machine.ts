/**
 * An explicit state machine: every transition not listed is forbidden (as the Runtime Interface
 * Emulator's states refuse all but what each allows). Where state is stored, `move` also checks the
 * store's compare-and-set, so a transition that another writer made first is seen, not overwritten.
 */
export class IllegalTransition extends Error {
  constructor(
    readonly machine: string,
    readonly from: string,
    readonly to: string,
  ) {
    super(`${machine}: forbidden transition ${from} -> ${to}`);
  }
}

export class StateMachine<S extends string> {
  constructor(
    readonly name: string,
    private readonly allowed: Readonly<Record<S, readonly S[]>>,
  ) {}

  can(from: S, to: S): boolean {
    return this.allowed[from].includes(to);
  }

  check(from: S, to: S): void {
    if (!this.can(from, to)) throw new IllegalTransition(this.name, from, to);
  }

  /** The states from which `to` can be entered. */
  sourcesOf(to: S): S[] {
    return (Object.keys(this.allowed) as S[]).filter((from) => this.allowed[from].includes(to));
  }

  /**
   * Checks `current.state -> next.state`, then stores `next` only if the stored record is still in
   * `current.state`. False when another writer moved it first: the caller must not act as if it had.
   */
  async move<R extends { state: S }>(current: R, next: R, save: (next: R, expected: readonly S[]) => Promise<boolean>): Promise<boolean> {
    this.check(current.state, next.state);
    return save(next, [current.state]);
  }
}
