import { DatasetError } from '../core/dataset-error.js';

/** Which header columns feed x and y, in the order the user gave (header order by default). */
export interface ColumnSelection {
  features: number[];
  labels: number[];
}

/** Checks header names: present and unique. */
export function checkHeader(names: string[]): void {
  const seen = new Map<string, number>();
  names.forEach((name, i) => {
    if (name.trim() === '') {
      throw new DatasetError('MALFORMED_CSV', `column ${i + 1} of the header has no name; every column needs a unique name `
        + '(a pandas index column? write the CSV with index=False)', { details: { line: 1, column: i + 1 } });
    }
    const before = seen.get(name);
    if (before !== undefined) {
      throw new DatasetError('MALFORMED_CSV', `the header names column ${JSON.stringify(name)} twice (columns ${before + 1} and ${i + 1}); names must be unique`, {
        column: name,
        details: { line: 1 },
      });
    }
    seen.set(name, i);
  });
}

/** Lists header names for an error message, cut after 30. */
function available(names: string[]): string {
  const shown = names.slice(0, 30).map((n) => JSON.stringify(n)).join(', ');
  return names.length > 30 ? `${shown}, ... (${names.length} columns)` : shown;
}

function resolveNames(kind: 'label' | 'feature', requested: string[], header: string[], index: Map<string, number>): number[] {
  if (!Array.isArray(requested) || requested.length === 0) {
    throw new DatasetError('INVALID_OPTIONS', `${kind}Columns must list at least one column name; available columns: ${available(header)}`);
  }
  const seen = new Set<string>();
  return requested.map((name) => {
    if (seen.has(name)) throw new DatasetError('INVALID_OPTIONS', `${kind}Columns lists ${JSON.stringify(name)} twice`, { column: name });
    seen.add(name);
    const i = index.get(name);
    if (i === undefined) {
      throw new DatasetError('UNKNOWN_COLUMN', `unknown ${kind} column ${JSON.stringify(name)}; available columns: ${available(header)}`, {
        column: name,
        details: { available: header },
      });
    }
    return i;
  });
}

/**
 * Resolves labelColumns / featureColumns against the header. The label defaults to the last column; features default
 * to every column that is not a label. A column cannot be both.
 */
export function selectColumns(header: string[], options: { labelColumns?: string[] | undefined; featureColumns?: string[] | undefined }): ColumnSelection {
  const index = new Map(header.map((name, i) => [name, i]));
  const labels = options.labelColumns !== undefined ? resolveNames('label', options.labelColumns, header, index) : [header.length - 1];
  const features = options.featureColumns !== undefined
    ? resolveNames('feature', options.featureColumns, header, index)
    : header.map((_, i) => i).filter((i) => !labels.includes(i));
  for (const i of features) {
    if (labels.includes(i)) {
      const name = header[i]!;
      const how = options.labelColumns === undefined ? ' (the label defaults to the last column; set labelColumns)' : '';
      throw new DatasetError('INVALID_OPTIONS', `column ${JSON.stringify(name)} is both a feature and a label${how}`, { column: name });
    }
  }
  if (features.length === 0) {
    throw new DatasetError('INVALID_OPTIONS', `no feature columns: the header has only the label column(s) ${available(labels.map((i) => header[i]!))}`);
  }
  return { features, labels };
}
