/** The model as JSON text: exactly the model file's content (see docs/model-format.md). */
import { type LinregModel, modelJsonChunks, modelToJson } from '@linreg/core';

export function modelJsonText(model: LinregModel): string {
  return modelToJson(model);
}

/** The same text in chunks of about a megabyte: a wide model's text does not fit in one string. */
export function modelJsonTextChunks(model: LinregModel): Iterable<string> {
  return modelJsonChunks(model);
}
