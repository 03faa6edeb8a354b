// Comparing two results in the tests: the one relative error every test target uses.

import SparsityCore

/// max |a - b| / max |b| (`maxNormRelativeError`) as a Float: the error relative to the scale of
/// the reference `b`.
public func relativeError(_ a: Tensor, _ b: Tensor) -> Float { Float(maxNormRelativeError(a, b)) }
