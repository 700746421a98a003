/** A suite's platform and clients: started before its tests, handed to the suite, destroyed and stopped after them. */
import { after, before } from 'node:test';
import type { PlatformOverrides } from '../../src/main.js';
import { startTestPlatform, type TestPlatform } from './platform.js';

type Clients = Record<string, { destroy(): void }>;

/** `clients` makes the suite's SDK clients for the platform; `use` hands them over (`(s) => ({ t, sqs } = s)`). */
export function platformSuite<C extends Clients>(clients: (t: TestPlatform) => C, use: (s: { t: TestPlatform } & C) => void, overrides: PlatformOverrides = {}): void {
  let suite: ({ t: TestPlatform } & C) | undefined;
  let made: C | undefined;
  before(async () => {
    const t = await startTestPlatform({}, undefined, overrides);
    made = clients(t);
    suite = { t, ...made };
    use(suite);
  });
  after(async () => {
    if (!suite) return;
    for (const c of Object.values(made ?? {})) c.destroy();
    await suite.t.stop();
  });
}
