/**
 * A KMS key's life: Enabled and Disabled swap at will; either may be scheduled for deletion;
 * a deletion cancelled leaves the key Disabled, as KMS does. Every transition not listed is refused.
 */
import type { KeyState } from '../../domain/kms.js';

export type KeyAction = 'enable' | 'disable' | 'scheduleDeletion' | 'cancelDeletion';

const TRANSITIONS: Readonly<Record<KeyState, Partial<Record<KeyAction, KeyState>>>> = {
  Enabled: { enable: 'Enabled', disable: 'Disabled', scheduleDeletion: 'PendingDeletion' },
  Disabled: { enable: 'Enabled', disable: 'Disabled', scheduleDeletion: 'PendingDeletion' },
  PendingDeletion: { cancelDeletion: 'Disabled' },
};

/** The state `action` leads to from `state`, or undefined when KMS refuses it there. */
export const nextKeyState = (state: KeyState, action: KeyAction): KeyState | undefined => TRANSITIONS[state][action];

/** Only an enabled key encrypts, decrypts or makes data keys. */
export const canUseKey = (state: KeyState): boolean => state === 'Enabled';
