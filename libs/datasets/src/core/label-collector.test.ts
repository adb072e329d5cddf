import { describe, expect, it } from 'vitest';
import { LabelCollector, MAX_COUNTED_CLASSES, MAX_STRING_CLASSES } from './label-collector.js';

function addNumber(labels: LabelCollector, value: number): void {
  if (labels.addCsvNumber(value)) labels.nameNumber(String(value));
}

describe('LabelCollector', () => {
  it('gives classCounts only up to MAX_COUNTED_CLASSES distinct integers', () => {
    const few = new LabelCollector();
    for (let i = 0; i < MAX_COUNTED_CLASSES; i++) few.addNumber(i);
    expect(Object.keys(few.finish().classCounts!)).toHaveLength(MAX_COUNTED_CLASSES);
    const many = new LabelCollector();
    for (let i = 0; i <= MAX_COUNTED_CLASSES; i++) many.addNumber(i);
    expect(many.finish().classCounts).toBeNull();
  });

  it('keeps class names beyond MAX_COUNTED_CLASSES but drops their counts', () => {
    const labels = new LabelCollector();
    for (let i = 0; i < 2000; i++) labels.addString(`c${String(i).padStart(4, '0')}`);
    const out = labels.finish();
    expect(out.classNames).toHaveLength(2000);
    expect(out.classCounts).toBeNull();
    expect(out.y[1999]).toBe(1999);
  });

  it('refuses text after more distinct numbers than it keeps the text of', () => {
    const labels = new LabelCollector();
    for (let i = 0; i <= MAX_STRING_CLASSES; i++) addNumber(labels, i / 10);
    expect(() => labels.addCsvText('n/a', MAX_STRING_CLASSES + 2, 'price')).toThrow(
      `row ${MAX_STRING_CLASSES + 2}, column "price": label "n/a" is text, but the rows before it hold more than ${MAX_STRING_CLASSES} distinct numbers; `
      + 'a label column is either numbers or at most that many string classes',
    );
    // Numbers alone are fine: a regression target.
    const prices = new LabelCollector();
    for (let i = 0; i <= MAX_STRING_CLASSES; i++) addNumber(prices, i / 10);
    expect(prices.finish().y).toHaveLength(MAX_STRING_CLASSES + 1);
  });
});

describe('LabelCollector with CSV cells', () => {
  it('names classes by the first text of each number when text follows numbers', () => {
    const labels = new LabelCollector();
    for (const [value, text] of [[1, '1'], [1, '1.0'], [2, '2.0']] as const) if (labels.addCsvNumber(value)) labels.nameNumber(text);
    labels.addCsvText('cat', 4, 'label');
    if (labels.addCsvNumber(2)) labels.nameNumber('2');
    const out = labels.finish();
    expect(out.classNames).toEqual(['1', '2', '2.0', 'cat']);
    expect(Array.from(out.y)).toEqual([0, 0, 2, 3, 1]);
  });
});
