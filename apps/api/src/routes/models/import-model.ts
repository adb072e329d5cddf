import multipart from '@fastify/multipart';
import { addModelVersion, createModel } from '@kiln/db';
import { applyWeights, decodeWeights, importKerasJson, importTfjsModel, type ImportedWeight, type TfjsWeightSpec } from '@kiln/neural-engine';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppDeps } from '../../deps.js';
import { AppError, parseRequest } from '../../errors.js';
import { buildModel, storedDefinition } from './build-model.js';
import { modelResponse } from './model-response.js';

const querySchema = z.strictObject({ name: z.string().min(1).max(200).optional() });

/**
 * POST /v1/models/import: a TensorFlow.js Layers model exactly as `model.save(tf.io.http(url))` sends it (multipart:
 * `model.json` + `model.weights.bin`, or the weight files its manifest names), or a Keras `model.to_json()` in the
 * `model.json` part, optionally with `weights.json` (TensorFlow.js weight specs) and `weights.bin`. Creates the model
 * and, when weights came, its version 1.
 */
export async function registerImportModel(app: FastifyInstance, deps: AppDeps): Promise<void> {
  await app.register(async (scope) => {
    await scope.register(multipart, { limits: { fileSize: deps.env.MAX_UPLOAD_BYTES, files: 64, fields: 8 } });
    scope.post('/v1/models/import', async (request, reply) => {
      const query = parseRequest(querySchema, request.query, 'query');
      if (!request.isMultipart()) {
        throw new AppError(415, 'UNSUPPORTED_MEDIA_TYPE', 'send multipart/form-data with a "model.json" part (what tf.io.http sends)');
      }
      const files: Record<string, Uint8Array> = {};
      for await (const part of request.parts()) {
        if (part.type === 'file') files[part.fieldname] = await part.toBuffer();
      }
      const modelJsonBytes = files['model.json'];
      if (!modelJsonBytes) throw new AppError(400, 'BAD_MULTIPART', `no "model.json" part; received parts ${Object.keys(files).map((k) => JSON.stringify(k)).join(', ') || 'none'}`);
      const json = parseJsonPart(modelJsonBytes, 'model.json');
      const isTfjs = typeof json === 'object' && json !== null && 'modelTopology' in json;
      let definition: unknown;
      let weights: ImportedWeight[] | null = null;
      if (isTfjs) {
        // Manifest paths are relative (`./model.weights.bin`): accept them with or without the leading ./
        const byPath = { ...files, ...Object.fromEntries(Object.entries(files).map(([k, v]) => [`./${k}`, v])) };
        const imported = importTfjsModel(json as never, byPath);
        definition = imported.definition;
        weights = imported.weights;
      } else {
        definition = importKerasJson(json);
        if (files['weights.json'] || files['weights.bin']) {
          if (!files['weights.json'] || !files['weights.bin']) throw new AppError(400, 'BAD_MULTIPART', 'Keras weights need both "weights.json" (weight specs) and "weights.bin"');
          const specs = parseJsonPart(files['weights.json'], 'weights.json') as TfjsWeightSpec[];
          weights = decodeWeights(specs, files['weights.bin'], 'weights.json');
        }
      }
      const model = buildModel(definition, deps.env.MAX_MODEL_PARAMS);
      if (weights) applyWeights(model, weights);
      const saved = weights ? model.saveWeights() : null;
      const row = await deps.db.$transaction(async (tx) => {
        const created = await createModel(tx, request.tenantId, {
          name: query.name ?? model.name,
          source: isTfjs ? 'tfjs' : 'keras',
          definition: storedDefinition(model, undefined),
          summary: model.summaryData(),
        });
        if (saved) await addModelVersion(tx, request.tenantId, created.id, { manifest: saved.manifest, weights: saved.data });
        return { ...created, latestVersion: saved ? 1 : 0 };
      });
      return reply.status(201).send(modelResponse(row));
    });
  });
}

/** An uploaded part holding JSON, parsed; a 400 naming the part when it is not JSON. */
function parseJsonPart(bytes: Uint8Array, name: string): unknown {
  try {
    return JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch (error) {
    throw new AppError(400, 'MALFORMED_JSON', `${name} is not valid JSON: ${(error as Error).message}`);
  }
}
