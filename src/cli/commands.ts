import { Command } from 'commander';
import { registerDockerConvert } from './commands/docker-convert.js';
import { withGlobals } from './program.js';
import { registerAdvisoryCommands } from './register-advisory.js';
import { registerCatalogCommands } from './register-catalog.js';
import { registerDockerBuild } from './register-docker-build.js';
import { registerFactoryCommands } from './register-factory.js';
import { registerImageCommands } from './register-image.js';
import { registerPackageCommands } from './register-packages.js';
import { registerRecipeCommands } from './register-recipes.js';
import { registerScanCommands } from './register-scan.js';
import { registerTrustCommands } from './register-trust.js';
import { registerVulnDbCommands } from './register-vuln-db.js';

/**
 * The command tree. Implementations are imported lazily inside each action so that a quick
 * command such as `version compare` starts without loading the whole library.
 */
export function buildProgram(): Command {
  const program = withGlobals(new Command('larder'))
    .description('larder: a secure, self-hostable supply chain for container images')
    .showHelpAfterError(false);

  registerPackageCommands(program);
  registerImageCommands(program);
  registerTrustCommands(program);
  registerRecipeCommands(program);
  registerCatalogCommands(program);
  registerScanCommands(program);
  registerDockerBuild(program);
  registerDockerConvert(program);
  registerAdvisoryCommands(program);
  registerVulnDbCommands(program);
  registerFactoryCommands(program);
  return program;
}
