/**
 * Command-line options of the bench scripts: `--flag`, `--key value` or `--key=value`, and
 * `--only a,b` (which benches to run, checked against the known names).
 */

export interface BenchArgs {
  flags: Set<string>;
  values: Map<string, string>;
  /** The benches to run: all of `known` unless --only. */
  only: string[];
}

export interface ArgSpec {
  usage: string;
  /** Bench names that --only accepts, in run order. */
  benches: readonly string[];
  flags: readonly string[];
  /** Options taking a value (besides --only). */
  options: readonly string[];
}

export function parseArgs(argv: readonly string[], spec: ArgSpec): BenchArgs {
  const fail = (message: string): never => {
    console.error(`${message}\n\n${spec.usage}`);
    process.exit(2);
  };
  const flags = new Set<string>();
  const values = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') {
      console.log(spec.usage);
      process.exit(0);
    }
    if (!arg.startsWith('--')) fail(`unexpected argument ${JSON.stringify(arg)}`);
    const eq = arg.indexOf('=');
    const key = arg.slice(2, eq < 0 ? undefined : eq);
    if (spec.flags.includes(key)) {
      if (eq >= 0) fail(`--${key} takes no value`);
      flags.add(key);
    } else if (key === 'only' || spec.options.includes(key)) {
      const value = eq >= 0 ? arg.slice(eq + 1) : argv[++i];
      if (value === undefined || value === '') fail(`--${key} needs a value`);
      values.set(key, value!);
    } else {
      fail(`unknown option --${key}`);
    }
  }
  let only = [...spec.benches];
  const list = values.get('only');
  if (list !== undefined) {
    const asked = list.split(',').map((s) => s.trim()).filter((s) => s !== '');
    for (const name of asked) {
      if (!spec.benches.includes(name)) fail(`--only: unknown bench ${JSON.stringify(name)}, expected some of ${spec.benches.join(', ')}`);
    }
    only = spec.benches.filter((b) => asked.includes(b));
  }
  return { flags, values, only };
}

/** A positive integer option, or `fallback`. */
export function intOption(args: BenchArgs, key: string, fallback: number): number {
  const raw = args.values.get(key);
  if (raw === undefined) return fallback;
  const v = Number(raw);
  if (!Number.isInteger(v) || v < 1) {
    console.error(`--${key}: invalid value ${JSON.stringify(raw)}, expected a positive integer`);
    process.exit(2);
  }
  return v;
}
