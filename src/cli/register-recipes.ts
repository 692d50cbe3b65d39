import type { Command } from 'commander';
import { withConfigOptions } from './config-options.js';
import { repeated, withGlobals } from './program.js';

/**
 * `larder lock`, `recipe lint|plan|test|bump`, `build`, `graph` and `build-all`: lock files,
 * melange-compatible recipes and package builds.
 */
export function registerRecipeCommands(program: Command): void {
  withConfigOptions(withGlobals(program.command('lock')))
    .description('resolve an apko image config and write apko.lock.json (apko-compatible)')
    .argument('<config>', 'image config (apko YAML)')
    .requiredOption('-o, --output <file>', 'lock file to write, e.g. apko.lock.json')
    .action(async (config: string, opts: Record<string, unknown>, cmd: Command) =>
      (await import('./commands/lock.js')).lockCommand(config, opts, cmd),
    );

  const recipe = withGlobals(
    program.command('recipe').description('melange-compatible recipes: check and compile'),
  );
  withGlobals(recipe.command('lint'))
    .description('compile each recipe (nothing runs): OK FILE or FAIL FILE: error per recipe')
    .argument('<recipes...>', 'recipe files (melange YAML)')
    .option(
      '--pipeline-dir <dir>',
      'directory of pipelines for uses:, searched before the built-ins (repeatable)',
      repeated,
    )
    .option('--arch <arch>', 'build architecture (default: this machine)')
    .option(
      '--json',
      'one JSON line per recipe: {"file":...,"ok":true} or {"file":...,"ok":false,"error":...}',
    )
    .action(async (files: string[], opts: { pipelineDir?: string[]; json?: boolean; arch?: string }) =>
      (await import('./commands/recipe-lint.js')).recipeLint(files, opts),
    );
  withGlobals(recipe.command('plan'))
    .description('compile recipes to build plans: one recipe prints its plan, several print OK/FAIL lines')
    .argument('<recipes...>', 'recipe files (melange YAML)')
    .option(
      '--pipeline-dir <dir>',
      'directory of pipelines for uses:, searched before the built-ins (repeatable)',
      repeated,
    )
    .option('--arch <arch>', 'build architecture (default: this machine)')
    .option('--json', 'one recipe: its plan as JSON; several: one JSON line per recipe')
    .action(async (files: string[], opts: { pipelineDir?: string[]; json?: boolean; arch?: string }) =>
      (await import('./commands/recipe-plan.js')).recipePlan(files, opts),
    );
  withGlobals(recipe.command('test'))
    .description(
      "run a recipe's test sections against the built packages: OK NAME or FAIL NAME: STEP: REASON",
    )
    .argument('<recipe>', 'recipe file (melange YAML)')
    .option(
      '--repository <repo>',
      'repository of the packages under test and their test environment (repeatable)',
      repeated,
    )
    .option('--keyring <key>', 'keys trusted for those repositories (repeatable)', repeated)
    .option('--repository-append <repo>', 'the same as --repository, as melange spells it', repeated)
    .option('--keyring-append <key>', 'the same as --keyring, as melange spells it', repeated)
    .option('--arch <arch>', 'architecture tested (default: this machine)')
    .option('--runner <runner>', 'bubblewrap (guest root from the test environment) or host', 'bubblewrap')
    .option(
      '--pipeline-dir <dir>',
      'directory of pipelines for uses:, searched before the built-ins (repeatable)',
      repeated,
    )
    .option('--source-dir <dir>', 'copied into each test workspace first (default: an empty workspace)')
    .option('--allow-untrusted', 'accept repository indexes not signed by the keyring')
    .action(async (file: string, opts: Record<string, unknown>, cmd: Command) =>
      (await import('./commands/recipe-test.js')).recipeTestCommand(file, opts, cmd),
    );
  withGlobals(recipe.command('bump'))
    .description(
      'set package.version, reset the epoch and refresh the checksums and commits of the sources it changes, in place',
    )
    .argument('<recipe>', 'recipe file (melange YAML)')
    .argument('<version>', 'the new upstream version')
    .option(
      '--pipeline-dir <dir>',
      'directory of pipelines for uses:, searched before the built-ins (repeatable)',
      repeated,
    )
    .option('--arch <arch>', 'architecture the source URIs are computed for (default: this machine)')
    .action(async (file: string, version: string, opts: Record<string, unknown>, cmd: Command) =>
      (await import('./commands/recipe-bump.js')).recipeBumpCommand(file, version, opts, cmd),
    );

  const buildCommand = withGlobals(program.command('build'))
    .description('build the packages of a melange recipe in a sandbox and publish them into REPO/ARCH/')
    .argument('<recipe>', 'recipe file (melange YAML)')
    .requiredOption('--out-dir <repo>', 'repository root: packages and APKINDEX.tar.gz go to REPO/ARCH/');
  withRecipeBuildOptions(buildCommand, 'one').action(
    async (recipe: string, opts: Record<string, unknown>, cmd: Command) =>
      (await import('./commands/build.js')).buildCommand(recipe, opts, cmd),
  );

  withGlobals(program.command('graph'))
    .description('the build graph of a recipe directory: each recipe in build order with its dependencies')
    .argument('<dir>', 'directory of recipes (*.yaml)')
    .option('--json', 'compact JSON: {order, recipes}')
    .option('--dot', 'Graphviz DOT')
    .option('--arch <arch>', 'architecture the recipes are compiled for (default: this machine)')
    .option('--pipeline-dir <dir>', 'directory of pipelines for uses: (repeatable)', repeated)
    .action(async (dir: string, opts: Record<string, unknown>) =>
      (await import('./commands/graph.js')).graphCommand(dir, opts),
    );

  const buildAllCommand = withGlobals(program.command('build-all'))
    .description('build every recipe of a directory in dependency order into REPO, skipping published ones')
    .argument('<dir>', "directory of recipes (*.yaml); DIR/NAME/ is NAME's source dir")
    .requiredOption('--out-dir <repo>', 'repository root: packages and APKINDEX.tar.gz go to REPO/ARCH/')
    .option('-j, --jobs <n>', 'build up to N recipes at once', '1');
  withRecipeBuildOptions(buildAllCommand, 'all').action(
    async (dir: string, opts: Record<string, unknown>, cmd: Command) =>
      (await import('./commands/build-all.js')).buildAllCommand(dir, opts, cmd),
  );
}

/**
 * The options `build` and `build-all` share (`all`: worded for every recipe of a directory);
 * `build` alone has `--source-dir`, since build-all takes DIR/NAME/.
 */
function withRecipeBuildOptions(command: Command, scope: 'one' | 'all'): Command {
  const one = scope === 'one';
  const env = one ? "the recipe's environment" : "each recipe's environment";
  command
    .option('--sign-key <key.rsa>', 'RSA private key signing the packages and the index')
    .option('--signing-key <key.rsa>', 'the same, as melange spells it')
    .option('--arch <arch>', 'build architecture (default: this machine)')
    .option('--runner <runner>', 'bubblewrap (guest root from environment.contents) or host', 'bubblewrap')
    .option(
      '--pipeline-dir <dir>',
      one
        ? 'directory of pipelines for uses:, searched before the built-ins (repeatable)'
        : 'directory of pipelines for uses: (repeatable)',
      repeated,
    );
  if (one)
    command.option('--source-dir <dir>', "copied into the workspace first (default: the recipe's directory)");
  return command
    .option('--repository <repo>', `added to ${env} repositories (repeatable)`, repeated)
    .option('--keyring <key>', `added to ${env} keyring (repeatable)`, repeated)
    .option('--repository-append <repo>', 'the same as --repository, as melange spells it', repeated)
    .option('--keyring-append <key>', 'the same as --keyring, as melange spells it', repeated)
    .option('--package-append <pkg>', `added to ${env} packages (repeatable)`, repeated)
    .option(
      '--build-option <name>',
      one
        ? "enable the recipe's options.<name> (repeatable)"
        : 'enable options.<name> of the recipes (repeatable)',
      repeated,
    )
    .option(
      '--empty-workspace',
      one
        ? 'start from an empty workspace (nothing copied from the source dir)'
        : 'start every build from an empty workspace',
    )
    .option('--cache-dir <dir>', 'bound read-write at /var/cache/melange in the sandbox')
    .option('--namespace <name>', 'SBOM supplier and purl namespace (melange --namespace)')
    .option('--allow-untrusted', 'accept guest repository indexes not signed by the keyring');
}
