import { warpAffine } from '../../image/warpAffine.js';
import type { ModelSession } from '../../inference/modelSession.js';
import { float32Data, type TensorData } from '../../inference/tensorData.js';
import { faceCrop } from '../cropBox.js';
import { writePlanar } from '../planarTensor.js';
import { regionMapping, warpMatrix } from '../regionMapping.js';
import { SSR_NET_OUTPUTS, ssrNetValue } from '../ssrNet.js';
import type { FaceCrops } from './faceCrops.js';
import type { AgeGender, FaceAgeGenderModel } from './faceModelTypes.js';

/** SSR-Net's crop: the face box grown 1.4x, stretched to 64x64. */
const CROP_SCALE = 1.4;
const SIDE = 64;
/**
 * SSR-Net input: a BGR crop normalised with torchvision's ImageNet constants in their RGB order
 * (as a model trained on cv2-loaded images would be). Chosen by experiment on 24 faces of our
 * test photos (23 women, 1 man): gender right on 20 with this input, on 14 with RGB crops and
 * the reference code's RGB normalisation, on 19 with BGR and channel-matched constants; raw
 * 0..255 input gives meaningless values. Ages were plausible (22-49) with every ImageNet variant.
 */
const SSR_MEAN = [0.485 * 255, 0.456 * 255, 0.406 * 255] as const;
const SSR_STD = [0.229 * 255, 0.224 * 255, 0.225 * 255] as const;

/** SSR-Net age and gender (licence unknown; runs only when selected): two models, one crop. */
export class SsrNetAgeGender implements FaceAgeGenderModel {
  constructor(
    private readonly age: ModelSession,
    private readonly gender: ModelSession,
  ) {}

  async estimate(crops: FaceCrops): Promise<AgeGender[]> {
    const { image, boxes } = crops;
    const plane = 3 * SIDE * SIDE;
    const input = new Float32Array(boxes.length * plane);
    boxes.forEach((box, i) => {
      const crop = faceCrop(box, CROP_SCALE, image.width, image.height);
      const pixels = warpAffine(image, warpMatrix(regionMapping(crop, SIDE, SIDE, 'stretch')), {
        width: SIDE,
        height: SIDE,
        channels: 'bgr',
      });
      writePlanar(pixels, 3, SSR_MEAN, SSR_STD, input, i * plane);
    });
    const feeds = {
      input: { type: 'float32', data: input, dims: [boxes.length, 3, SIDE, SIDE] } as TensorData,
    };
    const [ageOut, genderOut] = [await this.age.run(feeds), await this.gender.run(feeds)];
    return boxes.map((_, i): AgeGender => {
      const years = ssrNetValue(stagesOf(ageOut, i), 101);
      const g = Math.min(1, Math.max(0, ssrNetValue(stagesOf(genderOut, i), 1)));
      // SSR-Net's gender value is trained towards 1 for male, 0 for female (checked on our photos).
      return g >= 0.5
        ? { age: years, gender: 'male', genderScore: g }
        : { age: years, gender: 'female', genderScore: 1 - g };
    });
  }
}

function stagesOf(out: Record<string, TensorData>, i: number): Parameters<typeof ssrNetValue>[0] {
  const three = (name: string): Float32Array =>
    float32Data(out[name], name).subarray(3 * i, 3 * i + 3);
  const one = (name: string): number => float32Data(out[name], name)[i]!;
  const [p1, p2, p3] = SSR_NET_OUTPUTS.probabilities;
  const [d1, d2, d3] = SSR_NET_OUTPUTS.deltas;
  const [o1, o2, o3] = SSR_NET_OUTPUTS.offsets;
  return {
    probabilities: [three(p1), three(p2), three(p3)],
    deltas: [one(d1), one(d2), one(d3)],
    offsets: [three(o1), three(o2), three(o3)],
  };
}
