/**
 * A part that callbacks of earlier parts call, built after them (the vault's rotations call the
 * invoker, EventBridge publishes to SNS...): set once built, read only when a callback runs.
 */
export class Late<T> {
  private value: T | undefined;

  constructor(private readonly name: string) {}

  set(value: T): T {
    this.value = value;
    return value;
  }

  get(): T {
    if (this.value === undefined) throw new Error(`${this.name} was used before it was built`);
    return this.value;
  }
}
