// Starts one measurement in its own process and reads back its one BENCH_RESULT line. A child that crashes, prints
// no result or overruns its time limit becomes an error entry with the tail of its output, never a hang.
import { spawn } from 'node:child_process';

/** Runs `variant` on `spec`; resolves with { result } or { error, output }. */
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
    proc.stdout.on('data', (chunk) => {
      keep(chunk);
      stdout += chunk.toString();
    });
    proc.stderr.on('data', keep);
    const timer = setTimeout(() => proc.kill('SIGKILL'), timeoutMs);
    proc.on('error', (error) => {
      clearTimeout(timer);
      resolve({ error: `could not start ${variant.command}: ${error.message}`, output });
    });
    proc.on('close', (code, signal) => {
      clearTimeout(timer);
      if (signal === 'SIGKILL') return resolve({ error: `killed after the ${Math.round(timeoutMs / 1000)} s limit`, output });
      const result = stdout.match(/^BENCH_RESULT (.+)$/m)?.[1] ?? null;
      if (result === null) return resolve({ error: `exited with ${signal ?? `code ${code}`} without a result${reason(output)}`, output });
      try {
        resolve({ result: JSON.parse(result) });
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
