import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { CodeStore } from '../../src/code/code-store.js';
import { zipDirectory } from '../../src/code/zip-dir.js';
import { testStoreKind, useTestStore } from '../helpers/test-store.js';

const FIXTURES = fileURLToPath(new URL('../../../test/fixtures/functions/', import.meta.url));
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe(`code packages (${testStoreKind()})`, () => {
  const t = useTestStore();

  it('stores a zip once under its SHA-256 and gives it back byte for byte', async () => {
    const { codePackages } = t().store;
    const zip = Buffer.from([0x50, 0x4b, 0x05, 0x06, 0, 0, 255, 1, 2, 3]);
    assert.equal(await codePackages.has(sha(zip)), false);
    assert.equal(await codePackages.get(sha(zip)), undefined);
    await codePackages.put(sha(zip), zip);
    await codePackages.put(sha(zip), zip);
    assert.equal(await codePackages.has(sha(zip)), true);
    assert.deepEqual(await codePackages.get(sha(zip)), zip);
  });

  it('lets another node (its own disk cache) unpack code that one node stored', async () => {
    const zip = await zipDirectory(join(FIXTURES, 'echo'));
    const [diskA, diskB] = [mkdtempSync(join(tmpdir(), 'selfless-code-a-')), mkdtempSync(join(tmpdir(), 'selfless-code-b-'))];
    try {
      const stored = await new CodeStore(diskA, t().store.codePackages).put(zip);
      assert.equal(stored.sha256, sha(zip));
      const nodeB = new CodeStore(diskB, (await t().openAnother()).codePackages);
      const dir = await nodeB.unpacked(stored.sha256);
      assert.ok(readdirSync(dir).includes('index.js'));
      assert.equal(await readFile(join(dir, 'index.js'), 'utf8'), await readFile(join(FIXTURES, 'echo', 'index.js'), 'utf8'));
      await assert.rejects(nodeB.unpacked('0'.repeat(64)), /not in the store/);
    } finally {
      rmSync(diskA, { recursive: true, force: true });
      rmSync(diskB, { recursive: true, force: true });
    }
  });
});
