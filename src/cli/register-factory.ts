import type { Command } from 'commander';
import { repeated, withGlobals } from './program.js';

/**
 * `larder init`, `workspace check`, `serve`, `token` and `worker`: the factory.
 */
export function registerFactoryCommands(program: Command): void {
  withGlobals(program.command('init'))
    .description('create a working factory workspace in DIR (new or empty) from the examples, with new keys')
    .argument('<dir>', 'workspace directory to create')
    .action(async (dir: string, opts: unknown, cmd: Command) =>
      (await import('./commands/init.js')).initCommand(dir, opts, cmd),
    );
  const workspace = withGlobals(program.command('workspace').description('factory workspaces (larder.yaml)'));
  withGlobals(workspace.command('check'))
    .description('load a workspace: summary, then every problem at file:line:col (exit 1 if any)')
    .argument('<dir>', 'workspace directory (holding larder.yaml)')
    .option('--json', 'one JSON object: the loaded workspace and its problems')
    .action(async (dir: string, opts: { json?: boolean }) =>
      (await import('./commands/workspace-check.js')).workspaceCheck(dir, opts),
    );
  withGlobals(program.command('serve'))
    .description('run the factory over a workspace and serve its API, repository, metrics and dashboard')
    .requiredOption('--workspace <dir>', 'the workspace (larder.yaml)')
    .option(
      '--database <url>',
      'the state store: a file, or postgres://... (default DIR/.larder/state.sqlite)',
    )
    .option('--listen <host:port>', 'address to serve on', '127.0.0.1:8080')
    .option('--concurrency <n>', 'jobs run at once in this process (0: none, workers run them)', '2')
    .action(
      async (
        opts: { workspace: string; database?: string; listen: string; concurrency: string },
        cmd: Command,
      ) => (await import('./commands/serve.js')).serveCommand(opts, cmd),
    );
  const token = withGlobals(
    program.command('token').description('API tokens of larder serve (writes, private reads)'),
  );
  const tokenStore = (c: Command) =>
    withGlobals(c)
      .option(
        '--workspace <dir>',
        'the workspace whose default store (DIR/.larder/state.sqlite) holds the tokens',
      )
      .option('--database <url>', 'the store larder serve uses (instead of --workspace)');
  tokenStore(token.command('create'))
    .description('create a token and print it on stdout (shown once)')
    .requiredOption('--name <name>', 'who or what uses it')
    .option('--scope <scope>', 'a scope (repeatable; default write; none: read-only)', repeated)
    .action(async (opts: { workspace?: string; database?: string; name: string; scope?: string[] }) =>
      (await import('./commands/token.js')).tokenCreate(opts),
    );
  tokenStore(token.command('list'))
    .description('list tokens: id, name, scopes, created, last used (never secrets)')
    .option('--json', 'one JSON array')
    .action(async (opts: { workspace?: string; database?: string; json?: boolean }) =>
      (await import('./commands/token.js')).tokenList(opts),
    );
  tokenStore(token.command('revoke'))
    .description('revoke a token by id')
    .argument('<id>', 'the token id (12 hex digits, as listed)')
    .action(async (id: string, opts: { workspace?: string; database?: string }) =>
      (await import('./commands/token.js')).tokenRevoke(id, opts),
    );
  withGlobals(program.command('worker'))
    .description('run factory jobs from a PostgreSQL store on this machine, uploading packages to the server')
    .requiredOption(
      '--database <url>',
      "the server's store (postgres://...): its pg-boss queue carries the jobs",
    )
    .requiredOption('--server <url>', 'the larder server packages are uploaded to (http://host:port)')
    .option(
      '--token-env <var>',
      'environment variable holding an API token with the write scope',
      'LARDER_TOKEN',
    )
    .option('--kinds <kinds>', 'job kinds to take, comma-separated (build, compose, rescan, update-check)')
    .option('--concurrency <n>', 'jobs run at once', '1')
    .option('--workspace <dir>', 'the workspace checkout (the same as the server runs from)', '.')
    .option('--lease <seconds>', "a job's lease: a killed worker's job is taken again after it", '60')
    .action(async (opts: Record<string, string>, cmd: Command) =>
      (await import('./commands/worker.js')).workerCommand(opts, cmd),
    );
}
