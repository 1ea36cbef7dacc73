import type { LabelMap } from '../models/labelMap.js';
import type { Header, LabelInfo } from '../messages/types.js';

/** vision_msgs/LabelInfo for a label map: class ids as in Detection2D results, and the score threshold. */
export function labelInfo(header: Header, labels: LabelMap, threshold: number): LabelInfo {
  return {
    header,
    class_map: labels.entries().map(([id, name]) => ({ class_id: id, class_name: name })),
    threshold,
  };
}
