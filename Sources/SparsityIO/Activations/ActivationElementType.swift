// The element types activation files hold, and the fast loops that convert them to Float.

/// The element type of an activation file: the floating-point formats models write their
/// activations in, all converted to `Float` when read.
///
/// In a `.npy` file these are `<f4`, `<f2`, `<f8`, and bfloat16 given as 2-byte unsigned
/// integers (`<u2`) or 2-byte void (`<V2`, `|V2`): NumPy has no bfloat16 type, so PyTorch
/// tensors are saved with `t.view(torch.int16)`/`.numpy().view('<u2')` or through `ml_dtypes`,
/// which writes void. For activations such 2-byte integers are read as bfloat16 bit patterns,
/// never as integers. In a safetensors file they are `F32`, `F16`, `BF16` and `F64`.
public enum ActivationElementType: String, Sendable, CaseIterable {
  /// IEEE 754 binary32, copied as it is.
  case float32
  /// IEEE 754 binary16, converted exactly.
  case float16
  /// bfloat16, the upper 16 bits of a binary32 (8 exponent bits, 7 fraction bits): a shift.
  case bfloat16
  /// IEEE 754 binary64, rounded to the nearest `Float` (past `Float`'s range: infinite).
  case float64

  /// Bytes per element.
  public var size: Int {
    switch self {
    case .float32: return 4
    case .float16, .bfloat16: return 2
    case .float64: return 8
    }
  }

  /// Converts `count` little-endian elements at `source` to `Float` at `destination`.
  ///
  /// Each case is one loop without branches that the compiler vectorizes; `NPYDataType.decode`
  /// and `SafetensorsDataType.decode` are their reference twins.
  /// - Precondition: `source` holds `count * size` bytes and does not overlap `destination`.
  /// - Complexity: O(count).
  static func convert(
    _ type: ActivationElementType, from source: UnsafeRawPointer, count: Int,
    to destination: UnsafeMutablePointer<Float>
  ) {
    switch type {
    case .float32:
      UnsafeMutableRawPointer(destination).copyMemory(from: source, byteCount: count * 4)
    case .bfloat16:
      for i in 0..<count {
        let bits = UInt16(littleEndian: source.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))
        destination[i] = Float(bitPattern: UInt32(bits) << 16)
      }
    case .float16:
      for i in 0..<count {
        let bits = UInt16(littleEndian: source.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))
        destination[i] = floatFromHalf(bits)
      }
    case .float64:
      for i in 0..<count {
        let bits = UInt64(littleEndian: source.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self))
        destination[i] = Float(Double(bitPattern: bits))
      }
    }
  }

  /// IEEE 754 binary16 bits to `Float`, exactly, without branches: the exponent and fraction
  /// shift into place and the exponent is rebiased by 127 - 15 (twice for infinities and NaNs,
  /// whose exponent must become 255); zeros and subnormals are `fraction * 2^-24`.
  /// `NPYDataType.floatFromHalf` is the reference twin.
  @inline(__always)
  static func floatFromHalf(_ half: UInt16) -> Float {
    let magnitude = UInt32(half & 0x7FFF)
    let sign = UInt32(half & 0x8000) << 16
    let rebiased = (magnitude << 13) &+ (112 << 23)
    let normal = magnitude >= 0x7C00 ? rebiased &+ (112 << 23) : rebiased
    let subnormal = (Float(Int32(magnitude)) * 0x1p-24).bitPattern
    return Float(bitPattern: (magnitude < 0x0400 ? subnormal : normal) | sign)
  }

  /// The index of the first NaN or infinity among `count` floats at `values`, nil when all
  /// are finite. The common all-finite case is one vectorized pass (the largest exponent field).
  /// - Complexity: O(count).
  static func firstNonFinite(_ values: UnsafePointer<Float>, count: Int) -> Int? {
    var largestExponent: UInt32 = 0
    for i in 0..<count { largestExponent = max(largestExponent, values[i].bitPattern & 0x7F80_0000) }
    guard largestExponent == 0x7F80_0000 else { return nil }
    return (0..<count).first { !values[$0].isFinite }
  }
}
