import SparsityCore

/// The squared error between a prediction and a target of the same shape, and its gradient.
///
///   L = sum_i (prediction[i] - target[i])^2, divided by the element count for `.mean`;
///   dL/dprediction[i] = 2 (prediction[i] - target[i]), divided by the element count for `.mean`.
///
/// `.mean` averages over all elements (PyTorch's `MSELoss()`), so the loss does not grow with
/// the batch or the feature count. The autoencoder objective, with `target` the input.
///
/// - Parameters:
///   - prediction: any shape.
///   - target: the shape of `prediction`.
///   - reduction: mean over all elements (default), sum, or mean over a whole batch's elements.
///   - gradient: receives dL/dprediction; reallocated only when its shape differs.
/// - Returns: the reduced loss (0 for empty tensors).
/// - Complexity: O(elements) (`squaredErrorSum`).
@discardableResult
public func meanSquaredError(
  prediction: Tensor, target: Tensor, reduction: LossReduction = .mean, gradient: inout Tensor
) -> Float {
  precondition(
    prediction.shape == target.shape, "meanSquaredError: prediction \(prediction.shape), target \(target.shape)")
  if gradient.shape != prediction.shape { gradient = Tensor(zeros: prediction.shape) }
  let count = prediction.count
  guard count > 0 else { return 0 }
  let scale = reduction.scale(terms: count, termsPerSample: count / Swift.max(prediction.shape.first ?? 1, 1))
  let total = squaredErrorSum(prediction: prediction, target: target, gradientScale: scale, gradient: &gradient)
  return Float(total * Double(scale))
}
