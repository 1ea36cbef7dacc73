/** A column of a {@link textTable}. */
export interface TextColumn {
  readonly header: string;
  /** Default 'left'. Numbers read best right-aligned. */
  readonly align?: 'left' | 'right';
}

/**
 * Lays out rows as a plain-text table: a header, a rule, then one line per row, columns padded
 * to their widest cell and separated by two spaces. Trailing spaces are trimmed.
 *
 * @throws RangeError when a row has a different number of cells than there are columns.
 */
export function textTable(
  columns: readonly TextColumn[],
  rows: readonly (readonly string[])[],
): string {
  rows.forEach((row, i) => {
    if (row.length !== columns.length) {
      throw new RangeError(`row ${i} must have ${columns.length} cells, got ${row.length}`);
    }
  });
  const widths = columns.map((c, j) =>
    Math.max(c.header.length, ...rows.map((r) => (r[j] ?? '').length)),
  );
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, j) => {
        const width = widths[j] ?? 0;
        return columns[j]?.align === 'right' ? cell.padStart(width) : cell.padEnd(width);
      })
      .join('  ')
      .trimEnd();
  return [
    line(columns.map((c) => c.header)),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map((r) => line(r)),
  ].join('\n');
}

/** An integer with thousands separators: 4209088 -> "4,209,088". */
export function formatCount(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

/** A count in millions with the given decimals: (568740352, 0) -> "569M". */
export function formatMillions(value: number, decimals: number): string {
  return `${(value / 1e6).toFixed(decimals)}M`;
}

/** A fraction as a percentage with two decimals, the paper's Table 2 precision: 0.94857 -> "94.86%". */
export function formatPercent(fraction: number): string {
  return `${(fraction * 100).toFixed(2)}%`;
}
