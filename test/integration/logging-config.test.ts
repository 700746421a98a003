/**
 * LoggingConfig as Lambda honours it: JSON records for the function's lines and the platform's,
 * application and system log levels that filter them, and lines kept in the order written.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateFunctionCommand,
  GetFunctionConfigurationCommand,
  InvalidParameterValueException,
  InvokeCommand,
  UpdateFunctionConfigurationCommand,
  waitUntilFunctionActiveV2,
  waitUntilFunctionUpdatedV2,
  type LoggingConfig,
  type Runtime,
} from '@aws-sdk/client-lambda';
import { zipEntries } from '../../src/code/zip-dir.js';
import { ROLE, startTestPlatform, type TestPlatform } from '../helpers/platform.js';

const LEVELS_JS = `exports.handler = async () => {
  console.debug('debug line'); console.info('info line'); console.warn('warn line'); console.error('error line');
  return 'done';
};`;
const ORDER_JS = `exports.handler = async () => {
  for (let i = 0; i < 40; i++) {
    if (i % 2 === 0) process.stdout.write('line ' + i + '\\n'); else process.stderr.write('line ' + i + '\\n');
  }
  return 'done';
};`;
const LEVELS_PY = `import logging
logger = logging.getLogger()
def handler(event, context):
    logger.info("info line")
    logger.warning("warn line")
    logger.error("error line")
    return "done"
`;

describe('logging configuration', () => {
  let t: TestPlatform;
  before(async () => {
    t = await startTestPlatform();
  });
  after(async () => t.stop());

  async function deploy(name: string, runtime: string, file: string, code: string, logging?: LoggingConfig): Promise<void> {
    await t.lambda.send(
      new CreateFunctionCommand({
        FunctionName: name,
        Runtime: runtime as Runtime,
        Role: ROLE,
        Handler: file.startsWith('app') ? 'app.handler' : 'index.handler',
        Code: { ZipFile: await zipEntries({ [file]: code }) },
        ...(logging ? { LoggingConfig: logging } : {}),
      }),
    );
    await waitUntilFunctionActiveV2({ client: t.lambda, maxWaitTime: 60 }, { FunctionName: name });
  }
  const tail = async (name: string): Promise<string[]> => {
    const res = await t.lambda.send(new InvokeCommand({ FunctionName: name, LogType: 'Tail' }));
    return Buffer.from(res.LogResult ?? '', 'base64').toString().trim().split('\n');
  };
  const records = (lines: string[]) => lines.map((l) => JSON.parse(l) as { type?: string; level?: string; message?: string; record?: { requestId?: string } });

  it('writes JSON records, keeping application lines at or above ApplicationLogLevel', async () => {
    await deploy('json-node', 'nodejs20.x', 'index.js', LEVELS_JS, { LogFormat: 'JSON', ApplicationLogLevel: 'WARN' });
    const config = await t.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'json-node' }));
    assert.deepEqual(config.LoggingConfig, { LogFormat: 'JSON', ApplicationLogLevel: 'WARN', SystemLogLevel: 'INFO', LogGroup: '/aws/lambda/json-node' });
    const recs = records(await tail('json-node'));
    assert.deepEqual(
      recs.map((r) => r.type ?? `${r.level}:${r.message}`),
      ['platform.start', 'WARN:warn line', 'ERROR:error line', 'platform.report'],
    );
    const [start, , , report] = recs;
    assert.equal(start!.record!.requestId, report!.record!.requestId);
  });

  it('filters the platform records by SystemLogLevel', async () => {
    await t.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'json-node', LoggingConfig: { SystemLogLevel: 'DEBUG' } }));
    await waitUntilFunctionUpdatedV2({ client: t.lambda, maxWaitTime: 60 }, { FunctionName: 'json-node' });
    assert.deepEqual(
      records(await tail('json-node')).flatMap((r) => (r.type ? [r.type] : [])),
      ['platform.start', 'platform.runtimeDone', 'platform.report'],
    );
    await t.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'json-node', LoggingConfig: { SystemLogLevel: 'WARN' } }));
    await waitUntilFunctionUpdatedV2({ client: t.lambda, maxWaitTime: 60 }, { FunctionName: 'json-node' });
    assert.deepEqual(records(await tail('json-node')).flatMap((r) => (r.type ? [r.type] : [])), []);
  });

  it('gives Python functions JSON records through the logging module', async () => {
    await deploy('json-py', 'python3.11', 'app.py', LEVELS_PY, { LogFormat: 'JSON', ApplicationLogLevel: 'ERROR' });
    const app = records(await tail('json-py')).filter((r) => !r.type);
    assert.deepEqual(app.map((r) => `${r.level}:${r.message}`), ['ERROR:error line']);
  });

  it('keeps lines in the order written across stdout and stderr', async () => {
    await deploy('ordered', 'nodejs20.x', 'index.js', ORDER_JS);
    const lines = (await tail('ordered')).filter((l) => l.startsWith('line '));
    assert.deepEqual(lines, Array.from({ length: 40 }, (_, i) => `line ${i}`));
  });

  it('refuses levels with Text logs', async () => {
    await assert.rejects(
      deploy('refused-Text', 'nodejs20.x', 'index.js', LEVELS_JS, { LogFormat: 'Text', ApplicationLogLevel: 'INFO' }),
      (err: unknown) => err instanceof InvalidParameterValueException,
    );
  });
});
