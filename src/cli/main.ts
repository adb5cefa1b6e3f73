/**
 * `compat` command line: exec, sniff, plugins. Every failure that reaches the
 * user is one sentence on stderr and a shell-like exit status; never a stack trace.
 */
import { Command, CommanderError, Option } from 'commander';
import { execCommand } from './exec.js';
import { jailCheckCommand, jailInitCommand, jailListCommand, jailShowCommand } from './jail.js';
import { reportError } from './report.js';

export const VERSION = '0.1.0';

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export function buildProgram(): Command {
  const program = new Command('compat')
    .description('Run foreign binaries (other CPUs, other operating systems) as if they were native.')
    .version(VERSION)
    .enablePositionalOptions()
    .showHelpAfterError(false)
    .configureOutput({ outputError: (str, write) => write(`compat: ${str.replace(/^error: /, '').trim()}\n`) })
    .exitOverride();

  program
    .command('exec')
    .description('run FILE with ARGS under its own ISA core and OS personality')
    .argument('<file>', 'the program (an ELF binary, or a #! script)')
    .argument('[args...]', 'arguments passed to the program')
    .option('--trace', 'print an strace-style line for every guest syscall on stderr', false)
    .option('--stats', 'print per-syscall counts, time and cache hits at exit', false)
    .addOption(new Option('--log-level <level>', 'compat\'s own log level').choices(['silent', 'fatal', 'error', 'warn', 'info', 'debug', 'trace']).default('warn'))
    .option('--log-file <path>', 'write compat\'s log lines (and --trace/--stats) to a file instead of stderr')
    .option('-E, --env <VAR=VAL>', 'set an environment variable for the guest (repeatable)', collect, [])
    .option('-U, --unset <VAR>', 'remove an environment variable for the guest (repeatable)', collect, [])
    .option('--argv0 <name>', 'argv[0] the guest sees (default: FILE as given)')
    .option('--plugin <spec>', 'load a plugin (folder, module file or npm package; repeatable)', collect, [])
    .option('--jail <name|file>', 'run inside this jail (a name from config/jails, or a jail file)')
    .option('--root <dir>', 'show host folder DIR as the guest\'s / (contained: the guest cannot leave it)')
    .option('--sysroot <dir>', 'look up guest paths under DIR first, then on the host (like qemu -L)')
    .option('--mount <guest=host[:ro]>', 'show host folder (or file) HOST at guest path GUEST, read-only with :ro (repeatable)', collect, [])
    .addOption(new Option('--network <mode>', 'the guest\'s network: host, loopback (127.0.0.0/8 and ::1 only) or none (AF_UNIX only)').choices(['host', 'loopback', 'none']))
    .passThroughOptions()
    .action(async (file: string, args: string[], opts) => {
      process.exitCode = await execCommand(file, args, opts);
    });

  program
    .command('sniff')
    .description('tell what each FILE is: format, ISA, byte order, word size, personality and ABI')
    .argument('<files...>', 'files to examine')
    .option('--json', 'print one JSON document (an array, one object per file)', false)
    .option('--plugin <spec>', 'load a plugin (repeatable)', collect, [])
    .action(async (files: string[], opts) => {
      process.exitCode = await (await import('./sniff.js')).sniffCommand(files, opts);
    });

  const jail = program.command('jail').description('jails: what a foreign program sees (its /, mounts, environment, identity, limits)');
  jail.command('list').description('list the jail files compat finds ($COMPAT_JAIL_PATH, then config/jails)')
    .option('--json', 'print JSON', false)
    .action((opts) => { process.exitCode = jailListCommand(opts); });
  jail.command('show').description('print a jail as compat applies it (defaults filled in)')
    .argument('<jail>', 'a jail name or file')
    .action((name: string) => { process.exitCode = jailShowCommand(name); });
  jail.command('check').description('check jail files against the schema; status 1 if any is invalid')
    .argument('<jails...>', 'jail names or files')
    .action((names: string[]) => { process.exitCode = jailCheckCommand(names); });
  jail.command('init').description('write a new jail file (NAME.json in the current folder)')
    .argument('<name>', 'the jail\'s name, or the file to write')
    .option('--personality <name>', 'the personality it is for', 'linux')
    .option('--root <dir>', 'the host folder shown as /')
    .option('-o, --output <file>', 'where to write it')
    .option('--force', 'replace an existing file', false)
    .action((name: string, opts) => { process.exitCode = jailInitCommand(name, opts); });

  const plugins = program.command('plugins').description('inspect the plugins compat loads');
  plugins
    .command('list')
    .description('list loaded plugins (built-in and third-party) and what each provides')
    .option('--plugin <spec>', 'also load this plugin (repeatable)', collect, [])
    .option('--json', 'print JSON', false)
    .action(async (opts) => {
      process.exitCode = await (await import('./plugins.js')).pluginsListCommand(opts);
    });

  return program;
}

export async function main(argv: string[]): Promise<void> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      // help and version exit 0; usage errors exit 2 like most shells' builtins
      process.exitCode = e.exitCode === 0 ? 0 : 2;
      return;
    }
    process.exitCode = reportError(e);
  }
}
