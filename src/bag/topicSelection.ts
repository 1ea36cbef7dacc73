import type { TopicInfo } from './bagReader.js';

/**
 * The topics a `messages()` pass reads: undefined for all, else the requested names.
 * @throws RangeError naming the bag and the available topics when a requested topic is not in it.
 */
export function selectTopics(
  bagPath: string,
  topics: readonly TopicInfo[],
  requested: readonly string[] | undefined,
): ReadonlySet<string> | undefined {
  if (requested === undefined) {
    return undefined;
  }
  const available = new Set(topics.map((t) => t.name));
  const missing = requested.filter((name) => !available.has(name));
  if (missing.length > 0) {
    throw new RangeError(
      `'topics' must name topics of ${bagPath}, got ${missing.map((n) => JSON.stringify(n)).join(', ')}; ` +
        `its topics are: ${[...available].join(', ') || '(none)'}`,
    );
  }
  return new Set(requested);
}
