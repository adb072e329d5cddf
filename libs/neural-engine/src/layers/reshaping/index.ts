/*
 * Shape and embedding layers: Embedding, SpatialDropout1D/2D, ZeroPadding1D/2D, Cropping1D/2D, UpSampling1D/2D, Permute, RepeatVector.
 * Each layer is registered in the table below (see ../index.ts for how tables combine).
 */
import { entry } from '../registry-entry.js';
import { Cropping1D, Cropping2D, cropping1DSchema, cropping2DSchema } from './cropping.js';
import { Embedding, embeddingSchema } from './embedding.js';
import { Permute, permuteSchema } from './permute.js';
import { RepeatVector, repeatVectorSchema } from './repeat-vector.js';
import { SpatialDropout1D, SpatialDropout2D, spatialDropout1DSchema, spatialDropout2DSchema } from './spatial-dropout.js';
import { UpSampling1D, UpSampling2D, upSampling1DSchema, upSampling2DSchema } from './up-sampling.js';
import { ZeroPadding1D, ZeroPadding2D, zeroPadding1DSchema, zeroPadding2DSchema } from './zero-padding.js';

/** Reshaping layer types by Keras class name. */
export const reshapingLayers = {
  Embedding: entry(embeddingSchema, (c) => new Embedding(c)),
  SpatialDropout1D: entry(spatialDropout1DSchema, (c) => new SpatialDropout1D(c)),
  SpatialDropout2D: entry(spatialDropout2DSchema, (c) => new SpatialDropout2D(c)),
  ZeroPadding1D: entry(zeroPadding1DSchema, (c) => new ZeroPadding1D(c)),
  ZeroPadding2D: entry(zeroPadding2DSchema, (c) => new ZeroPadding2D(c)),
  Cropping1D: entry(cropping1DSchema, (c) => new Cropping1D(c)),
  Cropping2D: entry(cropping2DSchema, (c) => new Cropping2D(c)),
  UpSampling1D: entry(upSampling1DSchema, (c) => new UpSampling1D(c)),
  UpSampling2D: entry(upSampling2DSchema, (c) => new UpSampling2D(c)),
  Permute: entry(permuteSchema, (c) => new Permute(c)),
  RepeatVector: entry(repeatVectorSchema, (c) => new RepeatVector(c)),
};

export { Embedding, embeddingSchema, type EmbeddingConfig } from './embedding.js';
export {
  SpatialDropout1D,
  SpatialDropout2D,
  spatialDropout1DSchema,
  spatialDropout2DSchema,
  type SpatialDropout1DConfig,
  type SpatialDropout2DConfig,
} from './spatial-dropout.js';
export { ZeroPadding1D, ZeroPadding2D, zeroPadding1DSchema, zeroPadding2DSchema, type ZeroPadding1DConfig, type ZeroPadding2DConfig } from './zero-padding.js';
export { Cropping1D, Cropping2D, cropping1DSchema, cropping2DSchema, type Cropping1DConfig, type Cropping2DConfig } from './cropping.js';
export { UpSampling1D, UpSampling2D, upSampling1DSchema, upSampling2DSchema, type UpSampling1DConfig, type UpSampling2DConfig } from './up-sampling.js';
export { Permute, permuteSchema, type PermuteConfig } from './permute.js';
export { RepeatVector, repeatVectorSchema, type RepeatVectorConfig } from './repeat-vector.js';
