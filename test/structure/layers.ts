/**
 * The layers of src/ and the check that imports run one way through them (issue #14): from the
 * commands down to the pure maths, as data flows. Read by test/structure/layers.test.ts; this is
 * the one place the order is declared.
 */
import path from 'node:path';
import ts from 'typescript';

/**
 * src/'s folders (and its top-level files), top layer first. A file may import its own folder
 * and any folder of a lower layer; never one of its own layer (siblings stay independent, so
 * they cannot form a cycle) nor of a layer above (a back edge). Every folder of src/ must be
 * listed, so a new one is placed on purpose.
 */
export const LAYERS: readonly (readonly string[])[] = [
  // wiring only: parse the command line, run the command, exit statuses
  ['main.ts'],
  // one file per command: options, output, exit status
  ['cli'],
  // what commands run beside the pipeline: benchmarks; the setup check; the MobileNet study
  ['bench', 'doctor', 'mobilenet'],
  // the runners: the live ROS 2 node (the only importer of rclnodejs); a bag replayed to a bag
  ['ros', 'replay'],
  // where results go: the MCAP bag writer, annotated image files
  ['sinks'],
  // pure builders from results: ROS messages, Foxglove annotations, overlay boxes and captions
  ['publish'],
  // RxJS operators (one per file), the frame stage and the assembly of the stages
  ['pipeline'],
  // the stages: SSD object detector; face branch (alignment, embeddings, gallery); tracker
  ['detection', 'faces', 'tracking'],
  // the crop classifier: below detection, whose results carry its top-k
  ['classification'],
  // typed config parsed once; frame sources (bags, image files); the demo recording
  ['config', 'sources', 'sample'],
  // adapters: rosbag2/MCAP and CDR; OpenCV (its only importer); onnxruntime-node (its only
  // importer); model files, manifest, labels and conversion
  ['bag', 'image', 'inference', 'models'],
  // ROS message types, .msg definitions and the registry: plain TypeScript
  ['messages'],
  // pure maths: SSD decode, NMS, boxes, softmax/top-k; latency statistics
  ['postprocess', 'stats'],
  // error classes with code and cause; the package version
  ['errors.ts', 'version.ts'],
];

/** Native libraries and the one folder of src/ that may import each. */
export const NATIVE_OWNERS: Readonly<Record<string, string>> = {
  rclnodejs: 'ros',
  '@u4/opencv4nodejs': 'image',
  '@u4/opencv-build': 'image',
  'onnxruntime-node': 'inference',
};

/** One module specifier in a source file, with its 1-based line. */
export interface ImportSite {
  readonly specifier: string;
  readonly line: number;
}

/**
 * Every module a TypeScript file names: `import` (type-only too), `export ... from`, `import()`
 * with a literal, and `import('...')` types; what the compiler would resolve, not a regex guess.
 */
export function importSites(fileName: string, text: string): ImportSite[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.ES2022, true);
  const sites: ImportSite[] = [];
  const add = (literal: ts.StringLiteralLike): void => {
    const { line } = source.getLineAndCharacterOfPosition(literal.getStart(source));
    sites.push({ specifier: literal.text, line: line + 1 });
  };
  const visit = (node: ts.Node): void => {
    if (
      (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) &&
      node.moduleSpecifier !== undefined &&
      ts.isStringLiteralLike(node.moduleSpecifier)
    ) {
      add(node.moduleSpecifier);
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] !== undefined &&
      ts.isStringLiteralLike(node.arguments[0])
    ) {
      add(node.arguments[0]);
    } else if (
      ts.isImportTypeNode(node) &&
      ts.isLiteralTypeNode(node.argument) &&
      ts.isStringLiteralLike(node.argument.literal)
    ) {
      add(node.argument.literal);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return sites;
}

/** The unit of a path inside src/ (posix, relative to src/): its folder, or the file itself. */
export function unitOf(srcRelative: string): string {
  const [first, ...rest] = srcRelative.split('/');
  if (first === undefined || first === '') throw new RangeError(`no unit in '${srcRelative}'`);
  return rest.length === 0 ? first.replace(/\.js$/, '.ts') : first;
}

/** The index in {@link LAYERS} of a unit, or undefined when it is not declared. */
export function layerOf(unit: string): number | undefined {
  const index = LAYERS.findIndex((layer) => layer.includes(unit));
  return index < 0 ? undefined : index;
}

/**
 * Why `importer` (a path relative to the repository root, e.g. `src/image/annotateFrame.ts`) may
 * not import `specifier`, or undefined when it may. Node built-ins and other packages are
 * allowed except native libraries outside their folder; relative imports must stay inside src/
 * (no test code) and point to the importer's own unit or a lower layer.
 */
export function importViolation(importer: string, specifier: string): string | undefined {
  const from = unitOf(path.posix.relative('src', importer));
  const fromLayer = layerOf(from);
  if (fromLayer === undefined) return `${importer}: '${from}' is in no layer (add it to LAYERS)`;
  if (!specifier.startsWith('.')) {
    if (specifier.startsWith('node:')) return undefined;
    const parts = specifier.split('/');
    const name = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? '');
    const owner = NATIVE_OWNERS[name];
    return owner === undefined || owner === from
      ? undefined
      : `${importer} imports ${specifier}: only src/${owner}/ may import ${name}`;
  }
  const target = path.posix.normalize(path.posix.join(path.posix.dirname(importer), specifier));
  if (!target.startsWith('src/'))
    return `${importer} imports ${specifier}, outside src/: the product must not import test or other code`;
  const to = unitOf(path.posix.relative('src', target));
  if (to === from) return undefined;
  const toLayer = layerOf(to);
  if (toLayer === undefined) return `${importer} imports ${specifier}: '${to}' is in no layer`;
  if (toLayer > fromLayer) return undefined;
  return toLayer === fromLayer
    ? `${importer} imports ${specifier}: '${from}' and '${to}' are in the same layer and stay independent`
    : `${importer} imports ${specifier}: '${to}' is a layer above '${from}' (imports run down only)`;
}
