// The element types a safetensors file can hold that convert to Float, and their decoding.
import SparsityCore

/// A safetensors element type this toolkit reads, all converted to `Float` on load.
///
/// Data is little-endian. Conversions round to the nearest `Float`: float64 and 32/64-bit
/// integers lose precision beyond 24 significant bits; bfloat16 and float16 convert exactly.
/// The 8-bit float formats (`F8_E4M3`, `F8_E5M2`, ...) and complex types are not supported.
public enum SafetensorsDataType: String, Sendable, CaseIterable {
  /// IEEE 754 binary64, binary32 and binary16.
  case float64 = "F64"
  case float32 = "F32"
  case float16 = "F16"
  /// bfloat16: the upper 16 bits of a binary32 (8 exponent bits, 7 fraction bits).
  case bfloat16 = "BF16"
  /// Two's complement signed integers of 8, 4, 2 and 1 bytes.
  case int64 = "I64"
  case int32 = "I32"
  case int16 = "I16"
  case int8 = "I8"
  /// Unsigned integers of 8, 4, 2 and 1 bytes.
  case uint64 = "U64"
  case uint32 = "U32"
  case uint16 = "U16"
  case uint8 = "U8"
  /// One byte per element, nonzero meaning true; read as 0 or 1.
  case bool = "BOOL"

  /// Bytes per element.
  public var size: Int {
    switch self {
    case .float64, .int64, .uint64: return 8
    case .float32, .int32, .uint32: return 4
    case .float16, .bfloat16, .int16, .uint16: return 2
    case .int8, .uint8, .bool: return 1
    }
  }

  /// The `.npy` type with the same bytes, for every type except bfloat16.
  private var npyType: NPYDataType? {
    switch self {
    case .float64: return .float64
    case .float32: return .float32
    case .float16: return .float16
    case .bfloat16: return nil
    case .int64: return .int64
    case .int32: return .int32
    case .int16: return .int16
    case .int8: return .int8
    case .uint64: return .uint64
    case .uint32: return .uint32
    case .uint16: return .uint16
    case .uint8: return .uint8
    case .bool: return .bool
    }
  }

  /// Converts `count` little-endian elements starting at the beginning of `raw` to `Float`.
  /// - Precondition: `raw.count >= count * size`.
  /// - Complexity: O(count).
  func decode(_ raw: UnsafeRawBufferPointer, count: Int) -> [Float] {
    precondition(raw.count >= count * size, "SafetensorsDataType.decode: \(raw.count) bytes for \(count) x \(size)")
    if let npyType { return npyType.decode(raw, count: count) }
    return [Float](unsafeUninitializedCapacity: count) { out, initialized in
      for i in 0..<count {
        let bits = UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))
        out[i] = Float(bitPattern: UInt32(bits) << 16)
      }
      initialized = count
    }
  }
}
