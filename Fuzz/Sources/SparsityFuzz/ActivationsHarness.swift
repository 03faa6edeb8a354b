// Activation files: ActivationFile (the header read from a prefix of a .npy or .safetensors
// file, every element type) and ActivationDataset.read (rows decoded with pread).

import Foundation
import SparsityCore
import SparsityIO

/// `ActivationFile(contentsOf:)` on the bytes written to a file (`.npy` when they start with
/// NumPy's magic byte, `.safetensors` otherwise): the rows it finds fit in the file, and
/// reading them all gives rows x columns finite values or a clean error naming a non-finite one.
enum ActivationsHarness: Harness {
  static let maximumLength = 4096
  static let entryPoints = "ActivationFile(contentsOf:), ActivationDataset.read(rows:into:)"

  /// One file per process, rewritten for every input.
  static let directory = processDirectory("activations")

  static func run(_ data: Data) -> Bool {
    let name = data.first == 0x93 ? "fuzz.npy" : "fuzz.safetensors"
    let url = directory.appendingPathComponent(name)
    guard (try? data.write(to: url)) != nil else { return false }
    guard let dataset = try? ActivationDataset(contentsOf: [url]) else { return false }
    let file = dataset.files[0]
    precondition(file.rows == dataset.rows && file.columns == dataset.columns, "activations: one file, two shapes")
    let (bytes, overflow) = file.rows.multipliedReportingOverflow(by: file.rowBytes)
    precondition(!overflow && file.dataOffset + bytes <= data.count, "activations: rows past the end of the file")
    guard dataset.rows * dataset.columns <= 1 << 16 else { return true }
    var rows = [Float](repeating: .nan, count: Swift.max(1, dataset.rows * dataset.columns))
    do {
      try rows.withUnsafeMutableBufferPointer { try dataset.read(rows: 0..<dataset.rows, into: $0.baseAddress!) }
      precondition(
        rows.prefix(dataset.rows * dataset.columns).allSatisfy(\.isFinite), "activations: a non-finite value read")
    } catch let error as ActivationDataError {
      guard case .nonFinite = error else { preconditionFailure("activations: reading rows failed: \(error)") }
    } catch {
      preconditionFailure("activations: reading rows threw \(error)")
    }
    return true
  }

  static var seeds: [String: Data] {
    let matrix = Tensor(rows: [[1, -2.5, 3], [0, 4, 1e-3]])
    return [
      "matrix.npy": NPYFile.encode(matrix),
      "rank3.npy": NPYFile.encode(Tensor(shape: [2, 2, 2], scalars: [1, 2, 3, 4, 5, 6, 7, 8])),
      "bf16.npy": NPYHarness.file("{'descr': '<u2', 'fortran_order': False, 'shape': (2, 3), }", payload: 12),
      "half.npy": NPYHarness.file("{'descr': '<f2', 'fortran_order': False, 'shape': (3, 1), }", payload: 6),
      "acts.safetensors": SafetensorsFile(tensors: ["acts": matrix, "ids": Tensor([1, 2])]).encoded(),
    ]
  }
}
