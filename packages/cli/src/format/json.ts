/** The model as JSON text: exactly the model file's content (see docs/model-format.md). */
import { type LinregModel, modelToJson } from '@linreg/core';

export function modelJsonText(model: LinregModel): string {
  return modelToJson(model);
}
