/** One row of the README's configuration table. */
export interface ConfigTableRow {
  /** Full keys, `.suffix` shorthands expanded (`inference.tensorrt.fp16` / `.int8`). */
  readonly keys: readonly string[];
  /** Prefixes of `prefix.*` keys (`classifier.`), which stand for every key under them. */
  readonly wildcards: readonly string[];
  readonly defaultCell: string;
  readonly meaning: string;
  /** 1-based, for messages. */
  readonly line: number;
}

/**
 * The rows of the table under `## Configuration` (columns key, default, meaning). The key cell
 * holds one or more code spans; one that starts with a dot replaces the last segment of the
 * key before it.
 */
export function configTableRows(markdown: string): ConfigTableRow[] {
  const lines = markdown.split('\n');
  const section = lines.findIndex((l) => l.trim() === '## Configuration');
  const header = lines.findIndex((l, i) => i > section && l.startsWith('| key |'));
  const rows: ConfigTableRow[] = [];
  for (let i = header + 2; i < lines.length && (lines[i] ?? '').startsWith('|'); i++) {
    const [keyCell = '', defaultCell = '', meaning = ''] = (lines[i] ?? '')
      .replace(/^\|\s*|\s*\|$/g, '')
      .split(/\s\|\s/);
    const keys: string[] = [];
    const wildcards: string[] = [];
    for (const [, span = ''] of keyCell.matchAll(/`([^`]+)`/g)) {
      const previous = keys.at(-1) ?? '';
      const key = span.startsWith('.') ? previous.replace(/\.[^.]+$/, span) : span;
      if (key.endsWith('.*')) wildcards.push(key.slice(0, -1));
      else keys.push(key);
    }
    rows.push({ keys, wildcards, defaultCell, meaning, line: i + 1 });
  }
  return rows;
}
