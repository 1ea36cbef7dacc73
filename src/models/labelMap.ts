import { ModelError } from '../errors.js';

/**
 * Class labels by numeric id, read from a labels file with one `<id> <name>` per line (the
 * Coral format; ids may have gaps) or one name per line (the id is the line number). A model's
 * file like its weights, so it lives here: the detector and the crop classifier both read one.
 */
export class LabelMap {
  private constructor(private readonly names: ReadonlyMap<number, string>) {}

  static parse(text: string, file = 'labels'): LabelMap {
    const names = new Map<number, string>();
    const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
    lines.forEach((line, lineNumber) => {
      const match = /^\s*(\d+)\s+(.+?)\s*$/.exec(line);
      const id = match ? Number(match[1]) : lineNumber;
      const name = match ? (match[2] ?? '') : line.trim();
      if (names.has(id))
        throw new ModelError('MODEL_CORRUPT', `${file}: class id ${id} appears twice`);
      names.set(id, name);
    });
    if (names.size === 0) throw new ModelError('MODEL_CORRUPT', `${file} has no labels`);
    return new LabelMap(names);
  }

  /** The name of a class; ids without a label read as `class_<id>`. */
  name(id: number): string {
    return this.names.get(id) ?? `class_${id}`;
  }

  /** The id of a class name, or undefined. */
  id(name: string): number | undefined {
    for (const [id, n] of this.names) if (n === name) return id;
    return undefined;
  }

  entries(): [number, string][] {
    return [...this.names.entries()].sort((a, b) => a[0] - b[0]);
  }
}
