/**
 * Hints that something changed, passed between the nodes sharing a store: a send on one node wakes
 * the long polls waiting on another. A signal carries no data, only which keys (queue names) of
 * which channel changed; a lost signal costs a waiter no more than its own deadline, never a message.
 */

/** `key` is what changed; `undefined` means anything may have (signals were lost: look again). */
export type SignalListener = (key: string | undefined) => void;

export interface ChangeSignals {
  /** Tells the other nodes that these keys changed. Batched: many calls make one signal. */
  publish(channel: string, keys: Iterable<string>): void;
  /** Signals of other nodes on `channel`; the function returned unsubscribes. */
  subscribe(channel: string, listener: SignalListener): () => void;
  close(): Promise<void>;
}

/** One node alone (the SQLite store): there is no other node to tell or to hear from. */
export function singleNodeSignals(): ChangeSignals {
  return {
    publish: () => undefined,
    subscribe: () => () => undefined,
    close: async () => undefined,
  };
}
