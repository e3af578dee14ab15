import { Command, CommanderError } from 'commander';
import { ConfigSchema, envName } from '../config/config.js';
import { packageVersion } from '../version.js';
import { failureMessage } from '../library/storage-failure.js';
import { registerAdd } from './commands/add.js';
import { registerList } from './commands/list.js';
import { registerSearch } from './commands/search.js';
import { registerShow } from './commands/show.js';
import { registerRemove } from './commands/remove.js';
import { registerReindex } from './commands/reindex.js';
import { registerCheck } from './commands/check.js';
import { registerEval } from './commands/eval.js';
import { registerServe } from './commands/serve.js';
import { registerMcp } from './commands/mcp.js';
import { registerModel } from './commands/model.js';
import { registerRefresh } from './commands/refresh.js';
import { registerRelabel } from './commands/relabel.js';
import { registerJobs } from './commands/jobs.js';
import { registerMigrate } from './commands/migrate.js';
import { exitWhenFlushed, guardOutput } from './exit.js';

export function buildProgram(): Command {
  const describe = (key: 'data' | 'embedder' | 'store' | 'storePoolSize') => `${ConfigSchema.shape[key].description} [env ${envName(key)}]`;
  const program = new Command('mcdewey')
    .description('McDewey: a multi-vendor documentation library with semantic search and an MCP endpoint at /mcp')
    .version(packageVersion(), '-V, --version-info', 'print the McDewey version')
    .option('--data <dir>', describe('data'))
    .option('--embedder <spec>', describe('embedder'))
    .option('--store <url>', describe('store'))
    .option('--store-pool-size <n>', describe('storePoolSize'))
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  for (const register of [registerAdd, registerList, registerSearch, registerShow, registerRemove, registerReindex, registerRefresh, registerRelabel, registerJobs, registerCheck, registerEval, registerServe, registerMcp, registerModel, registerMigrate]) {
    register(program);
  }
  for (const command of program.commands) command.exitOverride();
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here too, with exit code 0.
      return error.exitCode === 0 ? 0 : 2;
    }
    process.stderr.write(`error: ${failureMessage(error)}\n`);
    if (process.env['MCDEWEY_DEBUG']) process.stderr.write(`${(error as Error).stack}\n`);
    return 1;
  }
}

/** Runs the CLI as a process: every byte of output is delivered before it exits with main's code. */
export async function run(argv: string[]): Promise<never> {
  guardOutput();
  return exitWhenFlushed(await main(argv));
}

const invokedDirectly = process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/'));
if (invokedDirectly) await run(process.argv);
