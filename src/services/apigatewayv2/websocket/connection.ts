/**
 * One open WebSocket connection on this node: its socket, its life as an explicit state machine
 * (open -> closing -> closed, or open -> closed when the client goes first), and API Gateway's two
 * limits on an injected Clock: 10 minutes without a message either way, 2 hours in all.
 */
import type { WebSocket } from 'ws';
import type { Clock, Timer } from '../../../lib/clock.js';
import { StateMachine } from '../../../lib/state-machine.js';
import type { ConnectionFacts } from './events.js';

export const IDLE_TIMEOUT_MS = 10 * 60_000;
export const MAX_DURATION_MS = 2 * 60 * 60_000;

type State = 'open' | 'closing' | 'closed';
const lifecycle = new StateMachine<State>('WebSocket connection', {
  open: ['closing', 'closed'],
  closing: ['closed'],
  closed: [],
});

export class WsConnection {
  private state: State = 'open';
  private idle: Timer | undefined;
  private readonly maxAge: Timer;
  lastActiveAt: number;

  constructor(
    readonly facts: ConnectionFacts,
    private readonly socket: WebSocket,
    private readonly clock: Clock,
  ) {
    this.lastActiveAt = facts.connectedAt;
    this.maxAge = clock.setTimeout(() => this.close(1001, 'Going away'), MAX_DURATION_MS);
    this.armIdle();
  }

  get connectionId(): string {
    return this.facts.connectionId;
  }

  get isOpen(): boolean {
    return this.state === 'open';
  }

  /** A message in either direction keeps the connection from idling out. */
  touch(): void {
    this.lastActiveAt = this.clock.now();
    this.armIdle();
  }

  /** Sends one message (text unless `binary`); resolves once written, rejects if the socket is gone. */
  send(data: Buffer | string, binary = false): Promise<void> {
    if (this.state !== 'open') return Promise.reject(new Error('connection is not open'));
    this.touch();
    return new Promise((resolve, reject) => this.socket.send(data, { binary }, (err) => (err ? reject(err) : resolve())));
  }

  /** The server closes the connection (DeleteConnection, a limit, shutdown). */
  close(code: number, reason: string): void {
    if (!lifecycle.can(this.state, 'closing')) return;
    this.state = 'closing';
    this.stopTimers();
    this.socket.close(code, reason);
  }

  /** Ends the socket at once (shutdown, after the close frame had its chance). */
  terminate(): void {
    this.socket.terminate();
  }

  /** The socket is gone; true the first time only, so $disconnect runs once. */
  closed(): boolean {
    if (!lifecycle.can(this.state, 'closed')) return false;
    this.state = 'closed';
    this.stopTimers();
    return true;
  }

  private armIdle(): void {
    this.idle?.cancel();
    if (this.state === 'open') this.idle = this.clock.setTimeout(() => this.close(1001, 'Going away'), IDLE_TIMEOUT_MS);
  }

  private stopTimers(): void {
    this.idle?.cancel();
    this.maxAge.cancel();
  }
}
