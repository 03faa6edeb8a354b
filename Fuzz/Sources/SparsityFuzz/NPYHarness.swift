// NumPy .npy files: NPYFile.decode (the header's Python literal parser, every dtype, Fortran order).

import Foundation
import SparsityCore
import SparsityIO

/// `NPYFile.decode`: writing the tensor and reading it back gives the same shape and bits. (A
/// count that differs from the shape's product traps in `Tensor`'s initializer, a crash too.)
enum NPYHarness: Harness {
  static let maximumLength = 4096
  static let entryPoints = "NPYFile.decode"

  static func run(_ data: Data) -> Bool {
    guard let tensor = try? NPYFile.decode(data, file: "fuzz.npy") else { return false }
    let again = mustDecode("NPYFile.encode") { () throws(ArrayFileError) in
      try NPYFile.decode(NPYFile.encode(tensor), file: "again.npy")
    }
    precondition(again.shape == tensor.shape && sameBits(again.scalars, tensor.scalars), "NPY round trip differs")
    return true
  }

  static var seeds: [String: Data] {
    [
      "matrix.npy": NPYFile.encode(Tensor(rows: [[1, -2.5, 3], [0, 4, 1e-3]])),
      "scalar.npy": NPYFile.encode(Tensor(shape: [], scalars: [7])),
      "empty.npy": NPYFile.encode(Tensor(shape: [0, 3], scalars: [])),
      "rank3.npy": NPYFile.encode(Tensor(shape: [2, 1, 2], scalars: [1, 2, 3, 4])),
      "fortran-f8.npy": file("{'descr': '<f8', 'fortran_order': True, 'shape': (2, 3), }", payload: 48),
      "fortran-rank3-i2.npy": file("{'descr': '<i2', 'fortran_order': True, 'shape': (2, 2, 2), }", payload: 16),
      "bool-v2.npy": file("{'descr': '|b1', 'fortran_order': False, 'shape': (5,), }", payload: 5, version: 2),
      "half-v3.npy": file("{'descr': '<f2', 'fortran_order': False, 'shape': (3L,), }", payload: 6, version: 3),
    ]
  }

  /// A `.npy` file with the header dictionary `literal` and `payload` bytes counting 1, 2, 3, ...
  static func file(_ literal: String, payload: Int, version: UInt8 = 1) -> Data {
    let preamble = version == 1 ? 10 : 12
    var header = Array(literal.utf8)
    while (preamble + header.count + 1) % 64 != 0 { header.append(0x20) }
    header.append(0x0A)
    var out: [UInt8] = [0x93] + Array("NUMPY".utf8) + [version, 0]
    out += version == 1 ? [UInt8(header.count & 0xFF), UInt8(header.count >> 8)] : littleEndian(UInt32(header.count))
    return Data(out + header + (0..<payload).map { UInt8(truncatingIfNeeded: $0 + 1) })
  }
}

/// The little-endian bytes of `value`.
func littleEndian<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
  withUnsafeBytes(of: value.littleEndian, Array.init)
}
