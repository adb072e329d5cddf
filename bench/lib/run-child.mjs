// Starts one measurement in its own process and reads back its one BENCH_RESULT line. A child that crashes, prints
// no result or overruns its time limit becomes an error entry with the tail of its output, never a hang.
import { spawn } from 'node:child_process';

/** How long a child may take to exit after reporting (closing a thread pool) before it is killed and flagged. */
const EXIT_GRACE_MS = 15_000;

/**
 * Runs `variant` on `spec`; resolves with { result } or { error, output }. A child that reports but does not exit
 * (a thread pool that does not shut down) keeps its result, is killed after a grace period and is flagged `lingered`.
 */
export function runChild(variant, spec, { timeoutMs, verbose, cwd }) {
  return new Promise((resolve) => {
    const proc = spawn(variant.command, [...variant.args, JSON.stringify(spec)], {
      cwd,
      env: { ...process.env, ...variant.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let stdout = '';
    const keep = (chunk) => {
      const text = chunk.toString();
      output = (output + text).slice(-4000);
      if (verbose) process.stderr.write(text);
    };
    let lingered = false;
    let graceTimer = null;
    proc.stdout.on('data', (chunk) => {
      keep(chunk);
      stdout += chunk.toString();
      if (!graceTimer && /^BENCH_RESULT .+\n/m.test(stdout)) {
        graceTimer = setTimeout(() => {
          lingered = true;
          proc.kill('SIGKILL');
        }, EXIT_GRACE_MS);
      }
    });
    proc.stderr.on('data', keep);
    const timer = setTimeout(() => proc.kill('SIGKILL'), timeoutMs);
    proc.on('error', (error) => {
      clearTimeout(timer);
      resolve({ error: `could not start ${variant.command}: ${error.message}`, output });
    });
    proc.on('close', (code, signal) => {
      clearTimeout(timer);
      clearTimeout(graceTimer);
      if (signal === 'SIGKILL' && !lingered) return resolve({ error: `killed after the ${Math.round(timeoutMs / 1000)} s limit`, output });
      const result = stdout.match(/^BENCH_RESULT (.+)$/m)?.[1] ?? null;
      if (result === null) return resolve({ error: `exited with ${signal ?? `code ${code}`} without a result${reason(output)}`, output });
      try {
        resolve({ result: JSON.parse(result), ...(lingered ? { lingered: `did not exit within ${EXIT_GRACE_MS / 1000} s of reporting; killed` } : {}) });
      } catch {
        resolve({ error: 'printed an unreadable result line', output });
      }
    });
  });
}

/** The line of a crashed child's output that says what went wrong (its error message), for the table's footnote. */
function reason(output) {
  const lines = output.split('\n').map((l) => l.trim()).filter(Boolean);
  const line = lines.findLast((l) => /^(\w*Error|Exception)\b.*:/.test(l)) ?? lines.at(-1);
  return line ? `: ${line.slice(0, 240)}` : '';
}
