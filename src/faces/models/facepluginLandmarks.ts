import type { Point } from '../../image/modelInputTransform.js';
import { warpAffine } from '../../image/warpAffine.js';
import type { ModelSession } from '../../inference/modelSession.js';
import { float32Data } from '../../inference/tensorData.js';
import { faceCrop } from '../cropBox.js';
import { LANDMARK_VALUES, landmarksToSource } from '../landmarks68.js';
import { writePlanar } from '../planarTensor.js';
import { regionMapping, warpMatrix } from '../regionMapping.js';
import type { FaceCrops } from './faceCrops.js';
import type { FaceLandmarkModel } from './faceModelTypes.js';

/** The input side of the faceplugin landmark model (greyscale). */
const SIDE = 64;

/**
 * The faceplugin 68-point landmark model (licence unknown; runs only when selected): the face
 * box stretched to 64x64 grey, x/256; outputs are fractions of the box.
 */
export class FacepluginLandmarks implements FaceLandmarkModel {
  constructor(private readonly session: ModelSession) {}

  async landmarks(crops: FaceCrops): Promise<Point[][]> {
    const { image, boxes } = crops;
    const input = new Float32Array(boxes.length * SIDE * SIDE);
    const cropBoxes = boxes.map((box, i) => {
      const crop = faceCrop(box, 1.0, image.width, image.height);
      const mapping = regionMapping(crop, SIDE, SIDE, 'stretch');
      const pixels = warpAffine(image, warpMatrix(mapping), {
        width: SIDE,
        height: SIDE,
        channels: 'gray',
      });
      writePlanar(pixels, 1, [0], [256], input, i * SIDE * SIDE);
      return crop;
    });
    const out = await this.session.run({
      input: { type: 'float32', data: input, dims: [boxes.length, 1, SIDE, SIDE] },
    });
    const values = float32Data(out.output, 'output');
    return cropBoxes.map((crop, i) => landmarksToSource(values, i * LANDMARK_VALUES, crop));
  }
}
