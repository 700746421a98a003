/** A gate the test opens: functions given `gate` wait for this file to exist (no timing guesses). */
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';

export interface Gate {
  path: string;
  /** Resolves once `n` invocations are waiting at the gate. */
  entered(n: number): Promise<void>;
  open(): void;
}

export function newGate(): Gate {
  const path = join(mkdtempSync(join(tmpdir(), 'selfless-gate-')), 'open');
  return {
    path,
    async entered(n) {
      for (let i = 0; i < 3000; i++) {
        const count = existsSync(dirname(path)) ? readdirSync(dirname(path)).filter((f) => f.startsWith(`${basename(path)}.entered-`)).length : 0;
        if (count >= n) return;
        await new Promise((r) => setTimeout(r, 10));
      }
      throw new Error(`only some of ${n} invocations reached the gate`);
    },
    open: () => writeFileSync(path, ''),
  };
}
