import { formatShape } from '../tensor.js';
import type { Layer } from '../layers/layer.js';

/** One row of a model summary. */
export interface LayerSummary {
  name: string;
  type: string;
  /** Per-sample output shape (Keras prints it with a leading None). */
  outputShape: number[];
  params: number;
  /** Tensors the layer reads, in functional models (Keras "Connected to"). */
  inbound?: string[];
}

/** Structured summary: what `summary()` prints, for APIs that return JSON. */
export interface ModelSummary {
  name: string;
  layers: LayerSummary[];
  totalParams: number;
  trainableParams: number;
  nonTrainableParams: number;
}

/** Collects the summary of built layers (with their inbound tensors for functional models). */
export function summarize(name: string, layers: readonly Layer[], inbound?: (layer: Layer) => string[]): ModelSummary {
  const rows: LayerSummary[] = layers.map((l) => ({
    name: l.name,
    type: l.className,
    outputShape: [...l.outputShape],
    params: l.countParams(),
    ...(inbound ? { inbound: inbound(l) } : {}),
  }));
  let trainable = 0;
  for (const l of layers) for (const v of l.trainableVariables) trainable += v.value.size;
  const total = rows.reduce((s, r) => s + r.params, 0);
  return { name, layers: rows, totalParams: total, trainableParams: trainable, nonTrainableParams: total - trainable };
}

/** The table Keras prints: layer (type), output shape, parameter count, then the totals. */
export function formatSummary(summary: ModelSummary): string {
  const connected = summary.layers.some((r) => r.inbound);
  const header = ['Layer (type)', 'Output Shape', 'Param #', ...(connected ? ['Connected to'] : [])];
  const rows = summary.layers.map((r) => [
    `${r.name} (${r.type})`,
    formatShape(r.outputShape),
    r.params.toLocaleString('en-US'),
    ...(connected ? [(r.inbound ?? []).join(', ')] : []),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)) + 2);
  const line = (cells: string[]): string => cells.map((c, i) => (i === 2 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join(' ').trimEnd();
  const rule = '─'.repeat(widths.reduce((a, b) => a + b + 1, -1));
  return [
    `Model: "${summary.name}"`,
    rule,
    line(header),
    rule,
    ...rows.map(line),
    rule,
    ` Total params: ${summary.totalParams.toLocaleString('en-US')}`,
    ` Trainable params: ${summary.trainableParams.toLocaleString('en-US')}`,
    ` Non-trainable params: ${summary.nonTrainableParams.toLocaleString('en-US')}`,
  ].join('\n');
}
