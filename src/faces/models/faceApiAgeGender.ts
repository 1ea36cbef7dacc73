import type { ModelSession } from '../../inference/modelSession.js';
import { float32Data } from '../../inference/tensorData.js';
import { FACE_API_AGE_GENDER } from '../../models/tfjs/faceApiAgeGender.js';
import type { FaceCrops } from './faceCrops.js';
import type { AgeGender, FaceAgeGenderModel } from './faceModelTypes.js';

/** face-api's age and gender net (MIT): the face box fitted into 112x112, one run for both. */
export class FaceApiAgeGender implements FaceAgeGenderModel {
  constructor(private readonly session: ModelSession) {}

  async estimate(crops: FaceCrops): Promise<AgeGender[]> {
    const batch = crops.fitted(FACE_API_AGE_GENDER.inputSize);
    const out = await this.session.run({
      input: { type: 'float32', data: batch.data, dims: [...batch.dims] },
    });
    const ages = float32Data(out[FACE_API_AGE_GENDER.ageOutput], FACE_API_AGE_GENDER.ageOutput);
    const genders = float32Data(
      out[FACE_API_AGE_GENDER.genderOutput],
      FACE_API_AGE_GENDER.genderOutput,
    );
    const male = FACE_API_AGE_GENDER.genderLabels.indexOf('male');
    return batch.mappings.map((_, i): AgeGender => {
      const pMale = genders[2 * i + male]!;
      return pMale >= 0.5
        ? { age: ages[i]!, gender: 'male', genderScore: pMale }
        : { age: ages[i]!, gender: 'female', genderScore: 1 - pMale };
    });
  }
}
