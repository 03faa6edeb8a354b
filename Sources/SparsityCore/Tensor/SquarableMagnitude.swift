// The largest value whose square a Float holds: the bound data must keep for least squares,
// norms and products of features to stay finite in single precision.

extension Float {
  /// The square root of `greatestFiniteMagnitude`, about 1.8e19: a value above it overflows
  /// when squared, so data beyond it cannot be trained on or coded in single precision.
  public static let largestSquarableMagnitude = Float.greatestFiniteMagnitude.squareRoot()
}
