/**
 * Where replay writes each camera's foxglove_msgs/ImageAnnotations: beside the image, at
 * `<image topic>/annotations`, where the image topic is the image_transport base topic (a
 * `/compressed` suffix dropped): `/front/image_raw` -> `/front/image_raw/annotations`, and
 * `/rear/image_raw/compressed` -> `/rear/image_raw/annotations`. Foxglove's Image panel lists the
 * annotation topics that share the image topic's prefix first. When two inputs would share one
 * annotation topic (a camera recorded both raw and compressed), those keep their full topic:
 * `/rear/image_raw/compressed/annotations`.
 *
 * @returns image topic -> annotation topic, for every topic given.
 */
export function annotationTopics(imageTopics: readonly string[]): Map<string, string> {
  const base = (topic: string): string =>
    `${topic.replace(/\/+$/, '').replace(/\/compressed$/, '')}/annotations`;
  const users = new Map<string, number>();
  for (const topic of imageTopics) users.set(base(topic), (users.get(base(topic)) ?? 0) + 1);
  return new Map(
    imageTopics.map((topic) => [
      topic,
      (users.get(base(topic)) ?? 0) > 1 ? `${topic.replace(/\/+$/, '')}/annotations` : base(topic),
    ]),
  );
}
