// Prints a job's live events, one line each, until it is done: `node scripts/watch-job.mjs <api url> <job id> [after]`.
// The stream replays the job's history first, so it can be started at any time; `after` resumes after that seq.
import WebSocket from 'ws';

const [base, jobId, after = '0'] = process.argv.slice(2);
if (!base || !jobId) {
  console.error('usage: node scripts/watch-job.mjs <api url, e.g. http://127.0.0.1:3000> <job id> [after seq]');
  process.exit(2);
}

const format = (e) => {
  const d = e.data;
  const logs = (l) => Object.entries(l).map(([k, v]) => `${k} ${Number(v).toFixed(4)}`).join(', ');
  switch (e.type) {
    case 'status': return `status   ${d.status} (attempt ${d.attempt}, epoch ${d.epoch})${d.error ? `: ${d.error.code} ${d.error.message}` : ''}`;
    case 'batch': return `batch    epoch ${d.epoch + 1} batch ${d.batch + 1}/${d.batches}: loss ${d.loss.toFixed(4)}`;
    case 'epoch': return `epoch    ${d.epoch + 1}/${d.epochs}: ${logs(d.logs)} (${Math.round(d.samplesPerSecond)} samples/s)`;
    case 'diagnostics': return `grads    ${d.layers.map((l) => `${l.layer} ${l.gradNorm.toExponential(2)}`).join(', ')}`;
    case 'checkpoint': return `saved    checkpoint after epoch ${d.epoch} (${d.sizeBytes} bytes)`;
    case 'done': return `done     ${d.status}${d.modelVersion ? `: model version ${d.modelVersion}` : ''}${d.finalMetrics ? ` ${logs(d.finalMetrics)}` : ''}`;
    default: return JSON.stringify(e);
  }
};

const socket = new WebSocket(`${base.replace(/^http/, 'ws')}/v1/jobs/${jobId}/stream?after=${after}`);
socket.on('message', (data) => {
  const event = JSON.parse(String(data));
  console.log(`#${String(event.seq).padEnd(4)} ${format(event)}`);
});
socket.on('unexpected-response', (_request, response) => {
  let body = '';
  response.on('data', (c) => (body += c));
  response.on('end', () => {
    console.error(`${response.statusCode}: ${body}`);
    process.exit(1);
  });
});
socket.on('error', (error) => {
  console.error(error.message);
  process.exit(1);
});
socket.on('close', (code, reason) => process.exit(code === 1000 ? 0 : (console.error(`closed ${code} ${reason}`), 1)));
