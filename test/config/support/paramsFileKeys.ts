/** One key of a commented ROS parameters file, live or commented out. */
export interface ParamsFileKey {
  /** The key's path below `ros__parameters:`, e.g. ['cameras', 'front', 'qos', 'depth']. */
  readonly path: readonly string[];
  /** The value text after the colon, without the comment; '' for a mapping. */
  readonly value: string;
  /** The comment on its line and the comment-only lines aligned after it. */
  readonly comment: string;
  /** Written as a comment (`# threads: 2`): documented, not set. */
  readonly commented: boolean;
  /** 1-based, for messages. */
  readonly line: number;
}

const KEY = /^([a-z][a-z0-9_]*):(?:\s+(.*))?$/;

/**
 * The keys of config/params.yaml as a reader sees them, commented-out ones included (a YAML
 * parser drops those): `# key: value` lines are read at the indentation they would have
 * uncommented (`    # inference:` is a sibling of `    detector:`), prose comments are skipped
 * (they do not start with `key:`), and comment lines aligned past a key continue its comment.
 */
export function paramsFileKeys(text: string): ParamsFileKey[] {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.trim() === 'ros__parameters:');
  const keys: {
    path: string[];
    value: string;
    comment: string[];
    commented: boolean;
    line: number;
    column: number;
  }[] = [];
  const stack: { indent: number; key: string }[] = [];
  for (let i = start + 1; i < lines.length; i++) {
    const raw = lines[i] ?? '';
    const commentedOut = /^(\s*)#( +)(.*)$/.exec(raw);
    // `    #   threads: 2` would be `      threads: 2`: the marker and one space are dropped.
    const indent = commentedOut
      ? (commentedOut[1] ?? '').length + (commentedOut[2] ?? '').length - 1
      : raw.length - raw.trimStart().length;
    const content = commentedOut ? (commentedOut[3] ?? '') : raw.trim();
    const key = KEY.exec(content);
    if (key === null) {
      // A comment-only line whose (last) '#' stands past the last key continues its comment:
      // `max_pixels: 67108864  # [1, 2^30]: ...` wrapped onto aligned comment lines.
      const last = keys.at(-1);
      const hash = raw.lastIndexOf('#');
      if (last !== undefined && hash > last.column) last.comment.push(raw.slice(hash + 1).trim());
      continue;
    }
    const rest = key[2] ?? '';
    const hash = rest.search(/(^|\s)#/);
    const value = hash < 0 ? rest : rest.slice(0, hash);
    const comment = hash < 0 ? '' : rest.slice(hash).replace(/^\s*#\s?/, '');
    while ((stack.at(-1)?.indent ?? -1) >= indent) stack.pop();
    const path = [...stack.map((s) => s.key), key[1] ?? ''];
    keys.push({
      path,
      value: value.trim(),
      comment: [comment],
      commented: commentedOut !== null,
      line: i + 1,
      column: indent + (key[1] ?? '').length,
    });
    if (value.trim() === '') stack.push({ indent, key: key[1] ?? '' });
  }
  return keys.map(({ path, value, comment, commented, line }) => ({
    path,
    value,
    comment: comment.join(' ').trim(),
    commented,
    line,
  }));
}
