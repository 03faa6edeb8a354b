// Safetensors files: SafetensorsFile.decode (the length prefix, the strict JSON header, the ranges).

import Foundation
import SparsityCore
import SparsityIO

/// `SafetensorsFile.decode`: writing the file (as float32) and reading it back gives the same
/// tensors, bits and metadata. (`Tensor`'s initializer traps on a count that is not the shape's.)
enum SafetensorsHarness: Harness {
  static let maximumLength = 4096
  static let entryPoints = "SafetensorsFile.decode"

  static func run(_ data: Data) -> Bool {
    guard let file = try? SafetensorsFile.decode(data, file: "fuzz.safetensors") else { return false }
    let again = mustDecode("SafetensorsFile.encoded") { () throws(SafetensorsError) in
      try SafetensorsFile.decode(file.encoded(), file: "again.safetensors")
    }
    precondition(again.metadata == file.metadata, "safetensors round trip changes the metadata")
    precondition(
      again.tensors.count == file.tensors.count
        && file.tensors.allSatisfy { name, tensor in
          again.tensors[name].map { $0.shape == tensor.shape && sameBits($0.scalars, tensor.scalars) } ?? false
        },
      "safetensors round trip changes the tensors")
    return true
  }

  static var seeds: [String: Data] {
    let weights = Tensor(rows: [[1, 0, -2], [0.5, 3, 0]])
    return [
      "two-tensors.safetensors": SafetensorsFile(
        tensors: ["0.weight": weights, "0.bias": Tensor([0.25, -1])], metadata: ["format": "pt"]
      ).encoded(),
      "empty.safetensors": SafetensorsFile().encoded(),
      "scalar-and-empty.safetensors": SafetensorsFile(
        tensors: ["s": Tensor(shape: [], scalars: [2]), "z": Tensor(shape: [0, 4], scalars: [])]
      ).encoded(),
      "typed.safetensors": file(
        header: #"{"h":{"dtype":"F16","shape":[2],"data_offsets":[0,4]},"#
          + #""i":{"dtype":"I64","shape":[1],"data_offsets":[4,12]},"#
          + #""b":{"dtype":"BF16","shape":[1,1],"data_offsets":[12,14]}}"#,
        buffer: [0x00, 0x3C, 0x00, 0xC0, 5, 0, 0, 0, 0, 0, 0, 0, 0x80, 0x3F]),
    ]
  }

  /// A safetensors file with the JSON `header` (padded to 8 bytes) and the data `buffer`.
  static func file(header: String, buffer: [UInt8]) -> Data {
    var text = Array(header.utf8)
    while text.count % 8 != 0 { text.append(0x20) }
    return Data(littleEndian(UInt64(text.count)) + text + buffer)
  }
}
