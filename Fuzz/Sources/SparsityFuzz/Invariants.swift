// Checks the harnesses share: element counts, bitwise equality, re-reading the library's output.

import SparsityCore

/// The product of `shape`, or nil when it overflows `Int` (a parser must refuse such a shape).
func elementCount(_ shape: [Int]) -> Int? {
  var total = 1
  for extent in shape {
    let (product, overflow) = total.multipliedReportingOverflow(by: extent)
    if overflow { return nil }
    total = product
  }
  return total
}

/// Traps unless `tensor` holds exactly the product of its shape's extents, all non-negative.
func checkShape(_ tensor: Tensor, _ what: @autoclosure () -> String) {
  precondition(
    tensor.shape.allSatisfy { $0 >= 0 } && elementCount(tensor.shape) == tensor.count,
    "\(what()): shape \(tensor.shape) but \(tensor.count) elements")
}

/// True when `a` and `b` hold the same floats bit for bit (NaN payloads and signed zeros included).
func sameBits(_ a: [Float], _ b: [Float]) -> Bool {
  a.count == b.count && zip(a, b).allSatisfy { $0.bitPattern == $1.bitPattern }
}

/// The value `decode` returns where a refusal is a bug: bytes the library itself wrote, or an
/// input another entry point already accepted. Traps naming `what` and the error otherwise.
func mustDecode<T, E: Error>(_ what: String, _ decode: () throws(E) -> T) -> T {
  do { return try decode() } catch { preconditionFailure("\(what) refuses what must decode: \(error)") }
}
