import { getModel, getModelVersion } from '@kiln/db';
import { exportTfjsModel, modelFromDefinition, type WeightSpec } from '@kiln/neural-engine';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppDeps } from '../../deps.js';
import { AppError, notFound, parseRequest } from '../../errors.js';
import { isUuid } from '../id-params.js';

const paramsSchema = z.object({ id: z.string(), version: z.coerce.number().int().positive().optional(), file: z.string().optional() });

/**
 * GET /v1/models/:id/tfjs/model.json and the weight files next to it (plus /versions/:version/tfjs/...), so that
 * `tf.loadLayersModel('http://host/v1/models/:id/tfjs/model.json')` loads the newest version directly.
 */
export function registerExportModel(app: FastifyInstance, { db }: AppDeps): void {
  const exportOf = async (tenantId: string, params: unknown) => {
    const { id, version, file } = parseRequest(paramsSchema, params, 'params');
    if (!isUuid(id)) throw notFound('model', id);
    const [model, row] = await Promise.all([getModel(db, tenantId, id), getModelVersion(db, tenantId, id, version)]);
    if (!model) throw notFound('model', id);
    if (!row) throw version === undefined ? new AppError(409, 'MODEL_NOT_TRAINED', `model ${id} has no trained version to export yet`) : notFound(`version ${version} of model`, id);
    const engineModel = modelFromDefinition(model.definition);
    engineModel.loadWeights({ manifest: row.manifest as unknown as WeightSpec[], data: row.weights });
    return { exported: exportTfjsModel(engineModel), file };
  };

  const modelJson = async (request: { tenantId: string; params: unknown }) => (await exportOf(request.tenantId, request.params)).exported.modelJson;
  const weightFile = async (request: { tenantId: string; params: unknown }, reply: { header: (k: string, v: string) => unknown }) => {
    const { exported, file } = await exportOf(request.tenantId, request.params);
    const found = exported.weightFiles.find((f) => f.name === file);
    if (!found) throw new AppError(404, 'NOT_FOUND', `no weight file ${JSON.stringify(file)}; model.json lists ${exported.weightFiles.map((f) => f.name).join(', ')}`);
    reply.header('content-type', 'application/octet-stream');
    return Buffer.from(found.data.buffer, found.data.byteOffset, found.data.byteLength);
  };
  app.get('/v1/models/:id/tfjs/model.json', modelJson);
  app.get('/v1/models/:id/versions/:version/tfjs/model.json', modelJson);
  app.get('/v1/models/:id/tfjs/:file', weightFile);
  app.get('/v1/models/:id/versions/:version/tfjs/:file', weightFile);
}
