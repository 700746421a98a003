/**
 * Runs AWS's own SAM translator (Python samtranslator, through test/helpers/sam-oracle.py) on a batch of
 * templates. Missing python3 or samtranslator is a failure, never a skip: the SAM tests mean nothing
 * without their oracle.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const SCRIPT = fileURLToPath(new URL('../../../test/helpers/sam-oracle.py', import.meta.url));

export interface OracleRequest {
  template: unknown;
  parameterValues: Record<string, unknown>;
  region: string;
}
export type OracleResult = { template: Record<string, unknown> } | { error: string };

export function runSamOracle(requests: OracleRequest[]): OracleResult[] {
  const run = spawnSync('python3', [SCRIPT], {
    input: JSON.stringify(requests),
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: process.env['HOME'] ?? '/root', AWS_EC2_METADATA_DISABLED: 'true' },
  });
  if (run.error) throw new Error(`the SAM oracle needs python3 with samtranslator: ${run.error.message}`);
  if (run.status !== 0) throw new Error(`the SAM oracle failed (exit ${run.status}): ${run.stderr.slice(-2000)}`);
  return JSON.parse(run.stdout) as OracleResult[];
}
