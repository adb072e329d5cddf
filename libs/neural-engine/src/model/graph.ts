import { ConfigError } from '../errors.js';

/*
 * The structure of a functional model, checked before any layer is built: unique names, inbound references that
 * exist, no cycles, every input used, every layer leading to an output. Each failure is a ConfigError whose path
 * points into the definition (`layers[3].inbound[0]`) and whose message names the layer.
 */

/** A tensor of the graph: a model input, or output `output` of a layer. */
export interface TensorRef {
  name: string;
  output: number;
  /** True when `name` is a model input. */
  isInput: boolean;
}

/** One layer of the graph with its inbound tensors. */
export interface GraphNode {
  /** Position in the definition's `layers` list. */
  index: number;
  name: string;
  inbound: TensorRef[];
}

/** A checked graph: nodes in an order where every layer comes after the layers it reads. */
export interface Graph {
  order: GraphNode[];
  outputs: TensorRef[];
}

interface GraphDefinition {
  inputs: readonly { name: string }[];
  layers: readonly { name: string; type: string; inbound: readonly string[] }[];
  outputs: readonly string[];
}

/** Parses `name` or `name:k`. */
export function parseReference(ref: string): { name: string; output: number } {
  const colon = ref.lastIndexOf(':');
  if (colon < 0) return { name: ref, output: 0 };
  return { name: ref.slice(0, colon), output: Number(ref.slice(colon + 1)) };
}

/** Formats a reference back: `name`, or `name:k` for k > 0. */
export function formatReference(ref: { name: string; output: number }): string {
  return ref.output === 0 ? ref.name : `${ref.name}:${ref.output}`;
}

function fail(path: string, message: string, received?: unknown): never {
  throw new ConfigError(`${path}: ${message}`, [received === undefined ? { path, message } : { path, message, received }]);
}

/** Checks a functional definition's structure and orders its layers topologically. */
export function checkGraph(def: GraphDefinition): Graph {
  const inputNames = new Set<string>();
  const layerIndex = new Map<string, number>();
  def.inputs.forEach((input, k) => {
    if (inputNames.has(input.name)) fail(`inputs[${k}].name`, `duplicate input name ${JSON.stringify(input.name)}`, input.name);
    inputNames.add(input.name);
  });
  def.layers.forEach((layer, i) => {
    if (inputNames.has(layer.name) || layerIndex.has(layer.name)) fail(`layers[${i}].name`, `duplicate name ${JSON.stringify(layer.name)} (names of inputs and layers must be unique)`, layer.name);
    if (layer.type === 'InputLayer' || layer.type === 'Input') fail(`layers[${i}].type`, `layer "${layer.name}": declare model inputs in \`inputs\`, not as layers`, layer.type);
    layerIndex.set(layer.name, i);
  });
  const known = [...inputNames, ...layerIndex.keys()].join(', ');
  const resolve = (ref: string, path: string): TensorRef => {
    const { name, output } = parseReference(ref);
    if (inputNames.has(name)) {
      if (output !== 0) fail(path, `input "${name}" has a single tensor; received ${JSON.stringify(ref)}`, ref);
      return { name, output, isInput: true };
    }
    if (!layerIndex.has(name)) fail(path, `unknown layer or input ${JSON.stringify(name)}; known: ${known}`, ref);
    return { name, output, isInput: false };
  };

  const nodes: GraphNode[] = def.layers.map((layer, i) => ({
    index: i,
    name: layer.name,
    inbound: layer.inbound.map((ref, j) => resolve(ref, `layers[${i}].inbound[${j}]`)),
  }));
  const outputs = def.outputs.map((ref, k) => {
    const r = resolve(ref, `outputs[${k}]`);
    if (r.isInput) fail(`outputs[${k}]`, `an output must be a layer's tensor, received input "${r.name}"`, ref);
    return r;
  });

  const order = topologicalOrder(nodes, layerIndex);

  const usedInputs = new Set(nodes.flatMap((n) => n.inbound.filter((r) => r.isInput).map((r) => r.name)));
  def.inputs.forEach((input, k) => {
    if (!usedInputs.has(input.name)) fail(`inputs[${k}]`, `input "${input.name}" is not used by any layer`, input.name);
  });

  // Every layer must lead to an output: walk back from the outputs.
  const needed = new Set<string>();
  const stack = outputs.map((r) => r.name);
  while (stack.length > 0) {
    const name = stack.pop()!;
    if (needed.has(name)) continue;
    needed.add(name);
    for (const r of nodes[layerIndex.get(name)!]!.inbound) if (!r.isInput) stack.push(r.name);
  }
  for (const node of nodes) {
    if (!needed.has(node.name)) fail(`layers[${node.index}]`, `layer "${node.name}" does not lead to any output`, node.name);
  }
  return { order, outputs };
}

/** Kahn's algorithm; a leftover node means a cycle, reported with the layers on it. */
function topologicalOrder(nodes: GraphNode[], layerIndex: Map<string, number>): GraphNode[] {
  const pending = nodes.map((n) => new Set(n.inbound.filter((r) => !r.isInput).map((r) => r.name)).size);
  const readers = nodes.map(() => [] as number[]);
  nodes.forEach((n) => {
    for (const name of new Set(n.inbound.filter((r) => !r.isInput).map((r) => r.name))) readers[layerIndex.get(name)!]!.push(n.index);
  });
  const ready = nodes.filter((_, i) => pending[i] === 0).map((n) => n.index);
  const order: GraphNode[] = [];
  while (ready.length > 0) {
    const i = ready.shift()!;
    order.push(nodes[i]!);
    for (const r of readers[i]!) if (--pending[r]! === 0) ready.push(r);
  }
  if (order.length < nodes.length) {
    const stuck = nodes.filter((_, i) => pending[i]! > 0);
    const cycle = findCycle(stuck, layerIndex, nodes);
    fail(`layers[${nodes[layerIndex.get(cycle[0]!)!]!.index}].inbound`, `cycle between layers ${cycle.map((n) => `"${n}"`).join(' → ')}`, cycle);
  }
  return order;
}

/** A cycle among nodes that could not be ordered: follow inbound edges until a name repeats. */
function findCycle(stuck: GraphNode[], layerIndex: Map<string, number>, nodes: GraphNode[]): string[] {
  const stuckNames = new Set(stuck.map((n) => n.name));
  const path: string[] = [];
  let current = stuck[0]!.name;
  while (!path.includes(current)) {
    path.push(current);
    const next = nodes[layerIndex.get(current)!]!.inbound.find((r) => !r.isInput && stuckNames.has(r.name));
    current = next!.name;
  }
  const cycle = path.slice(path.indexOf(current));
  // Inbound edges point backwards; report the cycle in data-flow order.
  return [...cycle.reverse(), cycle[0]!];
}
