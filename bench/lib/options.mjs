// Command-line options of `npm run bench -- ...`. Every mistake names the option, what it received and what it takes.

export const USAGE = `usage: npm run bench -- [options]
  --runs N               repetitions of every measurement (default 3, at least 1)
  --workloads LIST       comma-separated: W1, W1-b64, W1-b256, W2, W3 (default all)
  --systems LIST         comma-separated: kiln, tfjs-cpu, tfjs-wasm, torch (default all)
  --threads LIST         thread counts for Kiln and PyTorch (default 1,2); TF.js runs at the count its backend has
  --kiln-backend NAME    Kiln backend: default (the engine's own default), js, wasm, or a name its createBackend knows
  --python PATH          Python with PyTorch (default /usr/bin/python3, Debian's, where apt puts python3-torch)
  --train-seconds S      time budget of the timed training window (default 4)
  --infer-seconds S      time budget of the timed inference window (default 2)
  --max-batches N        at most N timed batches per window (default 1000)
  --warmup-seconds S     warm-up before each window: batches for S seconds, at least one (default 2)
  --out PATH             JSON output (default bench/results/latest.json; smoke.json with --smoke)
  --smoke                self-check: 1 run, batch 4, 1 warm-up batch, 2 timed, 1 s windows; figures are meaningless
  --no-gemm              do not run bench/gemm.mjs at the end
  --verbose              pass the children's own output through
  --help`;

const SYSTEMS = ['kiln', 'tfjs-cpu', 'tfjs-wasm', 'torch'];

function list(name, value) {
  const items = value.split(',').map((s) => s.trim()).filter(Boolean);
  if (items.length === 0) throw new Error(`${name}: expected a comma-separated list, received ${JSON.stringify(value)}`);
  return items;
}

function number(name, value, { integer = false, min }) {
  const n = Number(value);
  if (!Number.isFinite(n) || (integer && !Number.isInteger(n)) || n < min) {
    throw new Error(`${name}: expected ${integer ? 'an integer' : 'a number'} >= ${min}, received ${JSON.stringify(value)}`);
  }
  return n;
}

/** Parses argv (without node and the script) into the bench's options. */
export function parseOptions(argv) {
  const o = {
    runs: 3,
    workloads: ['W1', 'W2', 'W3'],
    systems: [...SYSTEMS],
    threads: [1, 2],
    kilnBackend: 'default',
    python: '/usr/bin/python3',
    trainSeconds: 4,
    inferSeconds: 2,
    maxBatches: 1000,
    warmupSeconds: 2,
    out: null,
    smoke: false,
    gemm: true,
    verbose: false,
    help: false,
    batchOverride: null,
  };
  const explicit = new Set();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new Error(`${flag}: expected a value after it`);
      return v;
    };
    explicit.add(flag);
    switch (flag) {
      case '--runs': o.runs = number(flag, value(), { integer: true, min: 1 }); break;
      case '--workloads': o.workloads = list(flag, value()); break;
      case '--systems': {
        o.systems = list(flag, value());
        for (const s of o.systems) if (!SYSTEMS.includes(s)) throw new Error(`--systems: unknown system ${JSON.stringify(s)}; expected ${SYSTEMS.join(', ')}`);
        break;
      }
      case '--threads': o.threads = list(flag, value()).map((t) => number(flag, t, { integer: true, min: 1 })); break;
      case '--kiln-backend': o.kilnBackend = value(); break;
      case '--python': o.python = value(); break;
      case '--train-seconds': o.trainSeconds = number(flag, value(), { min: 0.1 }); break;
      case '--infer-seconds': o.inferSeconds = number(flag, value(), { min: 0.1 }); break;
      case '--max-batches': o.maxBatches = number(flag, value(), { integer: true, min: 1 }); break;
      case '--warmup-seconds': o.warmupSeconds = number(flag, value(), { min: 0 }); break;
      case '--out': o.out = value(); break;
      case '--smoke': o.smoke = true; break;
      case '--no-gemm': o.gemm = false; break;
      case '--verbose': o.verbose = true; break;
      case '--help': case '-h': o.help = true; break;
      default: throw new Error(`unknown option ${JSON.stringify(arg)}\n${USAGE}`);
    }
  }
  if (o.smoke) {
    // Exercises every path (each system, each workload, cannot-train reporting, JSON, table) in well under a minute.
    if (!explicit.has('--runs')) o.runs = 1;
    o.warmupSeconds = 0;
    o.maxBatches = 2;
    o.trainSeconds = 1;
    o.inferSeconds = 0.5;
    o.batchOverride = 4;
    if (!explicit.has('--no-gemm')) o.gemm = false;
  }
  return o;
}
