// Loading and checking the data and dictionary that sparse coding (`sparsity code`) runs on.

import Foundation
import SparsityCoding
import SparsityCore
import SparsityIO

/// The samples X (samples x features) and dictionary D (atoms x features) of `sparsity code`,
/// read from `.npy` files and checked: both matrices, finite, the same number of features,
/// and D with unit-norm rows (within `CodeInputs.normTolerance`) unless `normalize` rescales them.
public struct CodeInputs: Sendable {
  /// How far a dictionary row's L2 norm may be from 1.
  public static let normTolerance: Double = 1e-3

  /// X, samples x features.
  public var samples: Tensor
  /// D, atoms x features, unit-norm rows.
  public var dictionary: Tensor

  /// Reads and checks `dataPath` and `dictionaryPath`; with `normalize`, divides each nonzero
  /// dictionary row by its norm instead of rejecting it.
  /// - Throws: `ArrayFileError` for an unreadable file, `ExperimentError.unusableData` naming the file
  ///   for a wrong rank, non-finite values, a feature mismatch or a non-unit-norm row.
  public init(dataPath: String, dictionaryPath: String, normalize: Bool) throws {
    try self.init(
      samples: Self.readMatrix(dataPath, role: "data"), dataPath: dataPath, dictionaryPath: dictionaryPath,
      normalize: normalize)
  }

  /// Checks `samples` (read from `dataPath`, finite) against the dictionary read from
  /// `dictionaryPath`, as `init(dataPath:dictionaryPath:normalize:)` does.
  public init(samples: Tensor, dataPath: String, dictionaryPath: String, normalize: Bool) throws {
    self.samples = samples
    var dictionary = try Self.readMatrix(dictionaryPath, role: "dictionary")
    guard samples.columns == dictionary.columns else {
      throw ExperimentError.unusableData(
        "\(dataPath) and \(dictionaryPath): the data has \(samples.columns) features per sample but the"
          + " dictionary atoms have \(dictionary.columns) (expected data samples x features, dictionary atoms x features)"
      )
    }
    try Self.checkRowNorms(&dictionary, file: dictionaryPath, normalize: normalize)
    self.dictionary = dictionary
    try MemoryBudget.check(
      memoryEstimate,
      for: "code: \(samples.rows) samples (\(dataPath)) over \(dictionary.rows) atoms (\(dictionaryPath))")
  }

  /// The memory coding these inputs needs: the solver's (`MemoryEstimate.sparseCoding`) and the
  /// codes' file, written as a dense `.npy` or as CSR (values, column indices and a copy).
  public var memoryEstimate: MemoryEstimate {
    .sparseCoding(samples: samples.rows, atoms: dictionary.rows, features: samples.columns)
      + .floats(samples.rows, dictionary.rows) * 3
  }

  /// The warning for coding these inputs with `choice` when it may take more than a day
  /// (`LongRunWarning`): the iterative solvers (FISTA, ISTA, coordinate descent) may spend
  /// `maxIterations` iterations of atoms x atoms multiply-adds on every sample.
  public func longRunWarning(_ choice: CodeSolverChoice) -> String? {
    switch choice.name {
    case .fista, .ista, .cd:
      let atoms = Double(dictionary.rows)
      let multiplyAdds = Double(samples.rows) * Double(choice.maxIterations) * atoms * atoms
      return LongRunWarning.message(
        "code --max-iterations \(choice.maxIterations) on \(samples.rows) samples", multiplyAdds: multiplyAdds,
        upTo: true, progress: false)
    default: return nil
    }
  }

  /// Throws unless every code and objective of `result` is finite: data so large that its
  /// products overflow single precision give infinite or NaN codes, which must not be written.
  /// - Throws: `ExperimentError.unusableData` naming `dataPath`, the first bad sample and the
  ///   data's largest magnitude.
  public func checkFinite(_ result: SparseCodingResult, dataPath: String) throws(ExperimentError) {
    let atoms = result.codes.columns
    let badCode = result.codes.scalars.firstIndex { !$0.isFinite }.map { $0 / Swift.max(1, atoms) }
    guard let sample = badCode ?? result.objectives.firstIndex(where: { !$0.isFinite }) else { return }
    let largest = samples.scalars.reduce(0) { Swift.max($0, abs($1)) }
    throw .unusableData(
      "\(dataPath): the codes of sample \(sample) are not finite: the data (largest magnitude \(largest))"
        + " overflows single precision; scale it down")
  }

  /// A rank-2, non-empty, finite array from the `.npy` file at `path`.
  private static func readMatrix(_ path: String, role: String) throws -> Tensor {
    let tensor = try NPYFile.read(contentsOf: URL(fileURLWithPath: path))
    guard tensor.rank == 2, tensor.count > 0 else {
      throw ExperimentError.unusableData(
        "\(path): the \(role) must be a non-empty 2-D array, but its shape is \(tensor.shape)")
    }
    if let first = tensor.scalars.firstIndex(where: { !$0.isFinite }) {
      let count = tensor.scalars.lazy.filter { !$0.isFinite }.count
      throw ExperimentError.unusableData(
        "\(path): \(count) of \(tensor.count) \(role) values are NaN or infinite (the first at row \(first / tensor.columns),"
          + " column \(first % tensor.columns)); sparse coding needs finite values")
    }
    let limit = Float.largestSquarableMagnitude
    if let first = tensor.scalars.firstIndex(where: { $0.magnitude > limit }) {
      throw ExperimentError.unusableData(
        "\(path): the \(role) value at row \(first / tensor.columns), column \(first % tensor.columns) is"
          + " \(tensor.scalars[first]), beyond \(limit) whose square overflows single precision; scale the \(role) down"
      )
    }
    return tensor
  }

  /// Checks (or, with `normalize`, enforces) unit L2 norm for every row of `dictionary`.
  private static func checkRowNorms(_ dictionary: inout Tensor, file: String, normalize: Bool) throws {
    let features = dictionary.columns
    for atom in 0..<dictionary.rows {
      var squared = 0.0
      for j in 0..<features {
        let v = Double(dictionary.scalars[atom * features + j])
        squared += v * v
      }
      let norm = squared.squareRoot()
      if normalize {
        guard norm > 0 else {
          throw ExperimentError.unusableData("\(file): dictionary row \(atom) is all zeros and cannot be normalized")
        }
        for j in 0..<features {
          dictionary.scalars[atom * features + j] = Float(Double(dictionary.scalars[atom * features + j]) / norm)
        }
      } else if abs(norm - 1) > normTolerance {
        throw ExperimentError.unusableData(
          "\(file): dictionary row \(atom) has L2 norm \(norm), not 1 (within \(normTolerance)); the solvers need"
            + " unit-norm atoms: normalize the rows (D / ||D_i||) or pass --normalize")
      }
    }
  }
}
