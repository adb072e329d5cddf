import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppDeps } from '../../deps.js';
import { AppError, notFound, parseRequest } from '../../errors.js';
import { isUuid } from '../id-params.js';

/** TensorFlow Serving's predict request: row form (`instances`) or column form (`inputs`). */
export const predictBodySchema = z
  .strictObject({
    signature_name: z.string().optional(),
    instances: z.array(z.unknown()).optional(),
    inputs: z.unknown().optional(),
  })
  .refine((b) => (b.instances === undefined) !== (b.inputs === undefined), { message: 'give exactly one of "instances" (row form) or "inputs" (column form)' });

const paramsSchema = z.object({ id: z.string(), version: z.coerce.number().int().positive().optional() });

/**
 * POST /v1/models/:id/predict and /v1/models/:id/versions/:version/predict: TensorFlow Serving's body and answer
 * (`predictions` for the row form, `outputs` for the column form), plus class names when the training dataset had them.
 */
export function registerPredict(app: FastifyInstance, { predictor, env }: AppDeps): void {
  const handler = async (request: { params: unknown; body: unknown; tenantId: string }) => {
    const params = parseRequest(paramsSchema, request.params, 'params');
    if (!isUuid(params.id)) throw notFound('model', params.id);
    const body = parseRequest(predictBodySchema, request.body, 'body');
    if (body.signature_name !== undefined && body.signature_name !== 'serving_default') {
      throw new AppError(422, 'UNKNOWN_SIGNATURE', `signature_name ${JSON.stringify(body.signature_name)} is not known; Kiln models have "serving_default"`);
    }
    const result = await predictor.predict({ tenantId: request.tenantId, modelId: params.id, version: params.version, body });
    return {
      [result.form === 'row' ? 'predictions' : 'outputs']: result.values,
      ...(result.predictedClasses ? { predictedClasses: result.predictedClasses } : {}),
      ...(result.classNames ? { classNames: result.classNames } : {}),
      modelVersion: result.version,
    };
  };
  const options = { bodyLimit: env.MAX_BODY_BYTES };
  app.post('/v1/models/:id/predict', options, handler);
  app.post('/v1/models/:id/versions/:version/predict', options, handler);
}
