/**
 * Parameter updates of the two optimizers, in place over Float64Arrays.
 *
 * - Plain SGD: θ ← θ − η g.
 * - Adam (Kingma & Ba, "Adam: a method for stochastic optimization", ICLR
 *   2015, Algorithm 1): with t the 1-based step,
 *
 *       m ← β1 m + (1 − β1) g,     v ← β2 v + (1 − β2) g²,
 *       θ ← θ − η · (m / (1 − β1ᵗ)) / (sqrt(v / (1 − β2ᵗ)) + ε).
 *
 *   The ridge term is part of g (coupled L2, not AdamW's decoupled decay), so
 *   Adam's fixed points are exactly the minimizers of the ridge objective.
 * - AMSGrad (Reddi, Kale & Kumar, "On the convergence of Adam and beyond",
 *   ICLR 2018), as PyTorch implements it: v̂ ← max(v̂, v) and the step divides
 *   by sqrt(v̂ / (1 − β2ᵗ)) + ε. v̂ never shrinks, so as the (variance-reduced)
 *   gradient vanishes the steps vanish too, instead of Adam's steps of about η
 *   that keep the iterates in a ball of radius ~η around the minimizer.
 */

export interface AdamSettings {
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  /** Use the running maximum of v in the denominator (AMSGrad). */
  readonly amsgrad: boolean;
}

/** Keras' and PyTorch's defaults. */
export const ADAM_DEFAULTS: AdamSettings = {
  beta1: 0.9,
  beta2: 0.999,
  epsilon: 1e-8,
  amsgrad: false,
};

/** θ ← θ − η g over the first n entries. */
export function sgdStep(
  n: number,
  theta: Float64Array,
  grad: Float64Array,
  learningRate: number,
): void {
  for (let i = 0; i < n; i++) theta[i] -= learningRate * grad[i];
}

/** One Adam (or AMSGrad) step at 1-based step number t (updates θ, m, v, v̂ in place). */
export function adamStep(
  n: number,
  theta: Float64Array,
  m: Float64Array,
  v: Float64Array,
  vMax: Float64Array,
  grad: Float64Array,
  t: number,
  learningRate: number,
  settings: AdamSettings,
): void {
  const { beta1, beta2, epsilon, amsgrad } = settings;
  const c1 = 1 / (1 - beta1 ** t);
  const c2 = 1 / (1 - beta2 ** t);
  for (let i = 0; i < n; i++) {
    const g = grad[i];
    const mi = beta1 * m[i] + (1 - beta1) * g;
    let vi = beta2 * v[i] + (1 - beta2) * g * g;
    m[i] = mi;
    v[i] = vi;
    if (amsgrad) {
      if (vMax[i] > vi) vi = vMax[i];
      vMax[i] = vi;
    }
    theta[i] -= (learningRate * (mi * c1)) / (Math.sqrt(vi * c2) + epsilon);
  }
}
