/**
 * The handlers' input types (src/wire/inputs/) are generated from the service models by the build's first
 * step: the files the build compiled must be what scripts/gen-wire-inputs.mjs makes of the models now, so
 * handlers are never typed against shapes the router no longer checks.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, it } from 'node:test';

const root = join(import.meta.dirname, '..', '..', '..');
type Generator = {
  allInputs(): Map<string, string>;
  inputsSource(service: string, model: unknown): string;
};
const load = async (): Promise<Generator> => (await import(pathToFileURL(join(root, 'scripts', 'gen-wire-inputs.mjs')).href)) as Generator;

describe('generated operation inputs', () => {
  it('each file under src/wire/inputs is what the generator makes of the models now', async () => {
    const { allInputs } = await load();
    const files = allInputs();
    assert.ok(files.size >= 20, `expected a file per model, got ${files.size}`);
    for (const [file, text] of files) {
      assert.equal(readFileSync(join(root, 'src', 'wire', 'inputs', file), 'utf8'), text, `src/wire/inputs/${file} is stale: run npm run build`);
    }
  });

  it('types members as the router checks them: required or optional, enums as their values, lists, maps, blobs, nested structures', async () => {
    const { inputsSource } = await load();
    const model = {
      metadata: { protocol: 'rest-json', apiVersion: '2020-01-01' },
      operations: { Put: { name: 'Put', http: { method: 'POST', requestUri: '/' }, input: { shape: 'PutRequest' } }, Ping: { name: 'Ping', http: { method: 'GET', requestUri: '/' } } },
      shapes: {
        PutRequest: {
          type: 'structure',
          required: ['Name'],
          members: { Name: { shape: 'Str' }, Mode: { shape: 'Mode' }, Tags: { shape: 'TagMap' }, Items: { shape: 'ItemList' }, Body: { shape: 'Bytes' }, At: { shape: 'Time' } },
        },
        Str: { type: 'string' },
        Mode: { type: 'string', enum: ['Fast', 'Slow'] },
        TagMap: { type: 'map', key: { shape: 'Str' }, value: { shape: 'Str' } },
        ItemList: { type: 'list', member: { shape: 'Item' } },
        Item: { type: 'structure', members: { Count: { shape: 'Int' }, Child: { shape: 'Item' } } },
        Int: { type: 'integer' },
        Bytes: { type: 'blob' },
        Time: { type: 'timestamp' },
      },
    };
    const text = inputsSource('demo', model);
    assert.match(text, /export interface DemoInputs \{\n {2}Ping: Record<string, never>;\n {2}Put: PutRequest;\n\}/);
    assert.match(text, /\n {2}Name: string;\n/);
    assert.match(text, /\n {2}Mode\?: "Fast" \| "Slow";\n/);
    assert.match(text, /\n {2}Tags\?: Record<string, string>;\n/);
    assert.match(text, /\n {2}Items\?: Item\[\];\n/);
    assert.match(text, /\n {2}Body\?: Buffer;\n/);
    assert.match(text, /\n {2}At\?: number \| string \| Date;\n/);
    assert.match(text, /export type Item = \{\n {2}Count\?: number;\n {2}Child\?: Item;\n\};/);
  });
});
