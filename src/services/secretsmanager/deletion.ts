/**
 * A secret's deletion: Active → PendingDeletion (DeleteSecret with a recovery window) → Active
 * (RestoreSecret) or Gone (the window passed on the clock, or ForceDeleteWithoutRecovery).
 * Every other transition is refused.
 */
import type { SecretRecord } from '../../domain/secret.js';

export type SecretState = 'Active' | 'PendingDeletion' | 'Gone';
export type DeletionAction = 'schedule' | 'restore' | 'force';

const TRANSITIONS: Readonly<Record<SecretState, Partial<Record<DeletionAction, SecretState>>>> = {
  Active: { schedule: 'PendingDeletion', force: 'Gone' },
  PendingDeletion: { restore: 'Active', force: 'Gone' },
  Gone: {},
};

export const nextSecretState = (state: SecretState, action: DeletionAction): SecretState | undefined => TRANSITIONS[state][action];

export function secretState(record: SecretRecord, now: number): SecretState {
  if (record.deletedAt === undefined) return 'Active';
  return record.purgeAt !== undefined && record.purgeAt <= now ? 'Gone' : 'PendingDeletion';
}
