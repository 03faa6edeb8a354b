// The element types a .npy file can hold that convert to Float, and their decoding.

import Foundation
import SparsityCore

/// A `.npy` element type this toolkit reads, all converted to `Float` on load.
///
/// Little-endian (`<`), not-applicable (`|`) and native (`=`, little-endian on every platform
/// this toolkit supports) byte orders are accepted; big-endian (`>`) multi-byte types are not.
/// Conversions round to the nearest `Float`: float64 and 64-bit integers lose precision
/// beyond 24 significant bits.
public enum NPYDataType: String, Sendable, CaseIterable {
  /// IEEE 754 binary16, binary32 and binary64 (`f2`, `f4`, `f8`).
  case float16 = "f2"
  case float32 = "f4"
  case float64 = "f8"
  /// Two's complement signed integers of 1, 2, 4 and 8 bytes (`i1` ... `i8`).
  case int8 = "i1"
  case int16 = "i2"
  case int32 = "i4"
  case int64 = "i8"
  /// Unsigned integers of 1, 2, 4 and 8 bytes (`u1` ... `u8`).
  case uint8 = "u1"
  case uint16 = "u2"
  case uint32 = "u4"
  case uint64 = "u8"
  /// One byte per element, nonzero meaning true (`b1`, also written `?`); read as 0 or 1.
  case bool = "b1"

  /// Bytes per element.
  public var size: Int { Int(rawValue.dropFirst())! }

  /// The NumPy name, e.g. `float32`.
  public var name: String { self == .bool ? "bool" : "\(self)" }

  /// The type for a dtype descriptor such as `<f4`, or the reason it is not supported.
  static func parse(_ descriptor: String) -> Result<NPYDataType, UnsupportedReason> {
    guard let order = descriptor.first, "<>|=".contains(order) else {
      return .failure(UnsupportedReason(text: "expected a byte order ('<', '>', '|' or '=') then a type code"))
    }
    let code = String(descriptor.dropFirst())
    guard let type = NPYDataType(rawValue: code == "?" ? "b1" : code) else {
      return .failure(UnsupportedReason(text: Self.explain(code)))
    }
    if order == ">" && type.size > 1 {
      return .failure(UnsupportedReason(text: "big-endian data is not supported; convert with arr.astype('<\(code)')"))
    }
    return .success(type)
  }

  /// Why an unsupported type code is unsupported.
  private static func explain(_ code: String) -> String {
    switch code.first {
    case "O": return "object arrays hold pickled Python objects, not numbers"
    case "U", "S", "a": return "string arrays are not numbers"
    case "c": return "complex numbers are not supported"
    case "V": return "void/structured arrays are not supported"
    case "M", "m": return "datetime and timedelta arrays are not supported"
    default: return "supported types are float16/32/64, int8/16/32/64, uint8/16/32/64 and bool"
    }
  }

  /// The reason a descriptor is not supported.
  struct UnsupportedReason: Error { var text: String }

  /// Converts `count` little-endian elements starting at the beginning of `raw` to `Float`.
  /// - Precondition: `raw.count >= count * size`.
  /// - Complexity: O(count).
  func decode(_ raw: UnsafeRawBufferPointer, count: Int) -> [Float] {
    precondition(raw.count >= count * size, "NPYDataType.decode: \(raw.count) bytes for \(count) x \(size)")
    switch self {
    case .float32: return Self.load(raw, count, UInt32.self) { Float(bitPattern: $0) }
    case .float64: return Self.load(raw, count, UInt64.self) { Float(Double(bitPattern: $0)) }
    case .float16: return Self.load(raw, count, UInt16.self) { Self.floatFromHalf($0) }
    case .int8: return Self.load(raw, count, Int8.self) { Float($0) }
    case .int16: return Self.load(raw, count, Int16.self) { Float($0) }
    case .int32: return Self.load(raw, count, Int32.self) { Float($0) }
    case .int64: return Self.load(raw, count, Int64.self) { Float($0) }
    case .uint8: return Self.load(raw, count, UInt8.self) { Float($0) }
    case .uint16: return Self.load(raw, count, UInt16.self) { Float($0) }
    case .uint32: return Self.load(raw, count, UInt32.self) { Float($0) }
    case .uint64: return Self.load(raw, count, UInt64.self) { Float($0) }
    case .bool: return Self.load(raw, count, UInt8.self) { $0 == 0 ? 0 : 1 }
    }
  }

  @inline(__always)
  private static func load<T: FixedWidthInteger>(
    _ raw: UnsafeRawBufferPointer, _ count: Int, _ type: T.Type, _ convert: (T) -> Float
  ) -> [Float] {
    [Float](unsafeUninitializedCapacity: count) { out, initialized in
      for i in 0..<count {
        out[i] = convert(T(littleEndian: raw.loadUnaligned(fromByteOffset: i * MemoryLayout<T>.size, as: T.self)))
      }
      initialized = count
    }
  }

  /// IEEE 754 binary16 bits to Float (exact; every half value is a float).
  static func floatFromHalf(_ bits: UInt16) -> Float {
    let sign: Float = bits & 0x8000 == 0 ? 1 : -1
    let exponent = Int((bits >> 10) & 0x1F)
    let fraction = Float(bits & 0x3FF)
    switch exponent {
    case 0: return sign * fraction * 0x1p-24
    case 31: return fraction == 0 ? sign * .infinity : .nan
    default: return sign * (1 + fraction / 1024) * Float(sign: .plus, exponent: exponent - 15, significand: 1)
    }
  }
}
