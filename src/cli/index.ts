/** The `selfless` command: `serve` runs the platform; the others are thin clients of its API. */
import { Command, CommanderError } from 'commander';
import { registerAlarms } from './commands/alarms.js';
import { registerEvents } from './commands/events.js';
import { registerClientCommands } from './commands/client.js';
import { registerDeployments } from './commands/deployments.js';
import { registerDrain } from './commands/drain.js';
import { registerMetrics } from './commands/metrics.js';
import { registerNodes } from './commands/nodes.js';
import { registerRedrive } from './commands/redrive.js';
import { registerReplay } from './commands/replay.js';
import { registerRuntimes } from './commands/runtimes.js';
import { registerServe } from './commands/serve.js';
import { registerStacks } from './commands/stacks.js';

const program = new Command();
program
  .name('selfless')
  .description('A self-hosted AWS Lambda: the Lambda API and real execution environments on your machine.')
  .version('0.1.0')
  .showHelpAfterError()
  .exitOverride();

registerServe(program);
registerClientCommands(program);
registerDeployments(program);
registerRedrive(program);
registerDrain(program);
registerReplay(program);
registerMetrics(program);
registerAlarms(program);
registerEvents(program);
registerRuntimes(program);
registerStacks(program);
registerNodes(program);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) process.exit(err.exitCode);
  process.stderr.write(`selfless: ${(err as Error).message}\n`);
  process.exit(1);
}
