import { z } from 'zod';

/** `a,b` or repeated `?x=a&x=b`: a list of column names. */
const columnList = z
  .union([z.string(), z.array(z.string())])
  .transform((value) => (Array.isArray(value) ? value : value.split(',')).map((s) => s.trim()).filter((s) => s.length > 0))
  .pipe(z.array(z.string()).min(1, 'name at least one column'));

/** Query string of POST /v1/datasets. */
export const uploadQuerySchema = z.strictObject({
  name: z.string().min(1).max(200).optional(),
  /** Usually implied by the Content-Type (text/csv, application/json) or the multipart parts. */
  format: z.enum(['csv', 'json', 'npy']).optional(),
  /** CSV: the label column(s); default the last column. */
  labelColumns: columnList.optional(),
  /** CSV: the feature columns; default every column that is not a label. */
  featureColumns: columnList.optional(),
});
export type UploadQuery = z.output<typeof uploadQuerySchema>;
