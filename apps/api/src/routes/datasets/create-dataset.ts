import type { Readable } from 'node:stream';
import multipart from '@fastify/multipart';
import { type DatasetChunk, DatasetError, limitBytes, parseCsvDataset, parseJsonDataset, parseNpyDataset, type DatasetSummary } from '@kiln/datasets';
import { abortDatasetUpload, beginDatasetUpload, completeDatasetUpload, insertDatasetChunk } from '@kiln/db';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../deps.js';
import { AppError, parseRequest } from '../../errors.js';
import { datasetResponse } from './dataset-response.js';
import { type UploadQuery, uploadQuerySchema } from './upload-query.js';

type Source = AsyncIterable<Uint8Array | string>;
type Parse = (onChunk: (chunk: DatasetChunk) => Promise<void>) => Promise<DatasetSummary>;

/**
 * POST /v1/datasets: streams a CSV (text/csv), JSON (application/json, `{"x": [...], "y": [...]}`) or multipart upload
 * (a `file` part holding CSV or JSON, or `x` and `y` parts holding NPY arrays) into Postgres chunk by chunk. The body
 * is never held whole; any bad value rejects the upload and deletes what was stored of it.
 */
export async function registerCreateDataset(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const maxBytes = deps.env.MAX_UPLOAD_BYTES;
  // An encapsulated scope: its body parsers hand the raw stream to the route instead of buffering it.
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_request, payload, done) => done(null, payload));
    await scope.register(multipart, { limits: { fileSize: maxBytes, files: 2, fields: 10, parts: 12 } });

    scope.post('/v1/datasets', { bodyLimit: maxBytes }, async (request, reply) => {
      const query = parseRequest(uploadQuerySchema, request.query, 'query');
      const declared = Number(request.headers['content-length']);
      if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge(maxBytes);
      const { format, parse } = await chooseParser(request, query, maxBytes);
      const name = query.name ?? `dataset-${new Date().toISOString()}`;
      const datasetId = await beginDatasetUpload(deps.db, request.tenantId, { name, format });
      let bytes = 0;
      try {
        const summary = await parse(async (chunk) => {
          bytes += chunk.data.byteLength;
          await insertDatasetChunk(deps.db, request.tenantId, datasetId, chunk);
        });
        const row = await completeDatasetUpload(deps.db, request.tenantId, datasetId, { ...summary, sizeBytes: bytes });
        return reply.status(201).send(datasetResponse(row));
      } catch (error) {
        await abortDatasetUpload(deps.db, request.tenantId, datasetId);
        // The client may still be sending: drain nothing more, close the connection after answering.
        reply.header('connection', 'close');
        throw error;
      }
    });
  });
}

const tooLarge = (maxBytes: number) => new AppError(413, 'PAYLOAD_TOO_LARGE', `the upload exceeds the limit of ${maxBytes} bytes`);

/** The CSV column choices of the query, leaving out those not given. */
function csvOptions(query: UploadQuery) {
  return { ...(query.labelColumns ? { labelColumns: query.labelColumns } : {}), ...(query.featureColumns ? { featureColumns: query.featureColumns } : {}) };
}

function contentType(request: FastifyRequest): string {
  return (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
}

/** Picks the parser from the Content-Type (or the multipart parts) and the query. */
async function chooseParser(request: FastifyRequest, query: UploadQuery, maxBytes: number): Promise<{ format: string; parse: Parse }> {
  const type = contentType(request);
  if (request.isMultipart()) return multipartParser(request, query, maxBytes);
  // Not destroyed when parsing stops early: the connection must live to carry the 413 or 422 back.
  const body = limitBytes((request.body as Readable).iterator({ destroyOnReturn: false }), maxBytes);
  const format = query.format ?? (type === 'text/csv' ? 'csv' : type === 'application/json' ? 'json' : undefined);
  if (format === 'csv') return { format, parse: (onChunk) => parseCsvDataset(body, csvOptions(query), onChunk) };
  if (format === 'json') return { format, parse: (onChunk) => parseJsonDataset(body, {}, onChunk) };
  throw new AppError(
    415,
    'UNSUPPORTED_MEDIA_TYPE',
    `send text/csv, application/json, or multipart/form-data with a "file" part (CSV or JSON) or "x" and "y" parts (NPY); received ${type || 'no Content-Type'}`,
  );
}

/** Multipart: one `file` part (CSV or JSON, by `format`, the part's type or its file name), or `x` then `y` NPY parts. */
async function multipartParser(request: FastifyRequest, query: UploadQuery, maxBytes: number): Promise<{ format: string; parse: Parse }> {
  const parts = request.files();
  const first = await parts.next();
  if (first.done) throw new DatasetError('EMPTY_DATASET', 'the multipart body has no file part; send "file" (CSV or JSON) or "x" and "y" (NPY)');
  const part = first.value;
  const source = (file: { file: Readable }): Source => limitBytes(file.file, maxBytes);
  if (part.fieldname === 'file') {
    const byName = part.filename.toLowerCase().endsWith('.json') ? 'json' : part.filename.toLowerCase().endsWith('.csv') ? 'csv' : undefined;
    const format = query.format ?? byName ?? (part.mimetype === 'application/json' ? 'json' : 'csv');
      if (format === 'npy') throw new AppError(400, 'BAD_MULTIPART', 'NPY uploads send two parts named "x" and "y"');
    return {
      format,
      parse: (onChunk) => (format === 'json' ? parseJsonDataset(source(part), {}, onChunk) : parseCsvDataset(source(part), csvOptions(query), onChunk)),
    };
  }
  if (part.fieldname !== 'x') {
    throw new AppError(400, 'BAD_MULTIPART', `unexpected multipart part "${part.fieldname}"; send "file" (CSV or JSON) or "x" then "y" (NPY)`);
  }
  return {
    format: 'npy',
    parse: (onChunk) =>
      parseNpyDataset(source(part), async () => {
        const next = await parts.next();
        if (next.done) throw new DatasetError('MALFORMED_NPY', 'the NPY upload has an "x" part but no "y" part');
        if (next.value.fieldname !== 'y') throw new AppError(400, 'BAD_MULTIPART', `expected the part "y" after "x", received "${next.value.fieldname}"`);
        return source(next.value);
      }, {}, onChunk),
  };
}
