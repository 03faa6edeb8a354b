import Foundation
import SparsityCore
import SparsityIO
import SparsityTestSupport
import Testing

/// `sparsity code` end to end: the built executable run on seeded random data and dictionaries.
@Suite struct CodeCommandTests {
  private let samples = 40, atoms = 24, features = 12

  /// Seeded normal values, rows x columns; with `unitRows`, each row scaled to unit L2 norm.
  private func randomMatrix(rows: Int, columns: Int, seed: UInt64, unitRows: Bool = false) -> Tensor {
    var generator = Xoshiro256StarStar(seed: seed)
    var scalars = (0..<rows * columns).map { _ in generator.normal() }
    if unitRows {
      for r in 0..<rows {
        let norm = (0..<columns).reduce(Float(0)) { $0 + scalars[r * columns + $1] * scalars[r * columns + $1] }
          .squareRoot()
        for c in 0..<columns { scalars[r * columns + c] /= norm }
      }
    }
    return Tensor(shape: [rows, columns], scalars: scalars)
  }

  /// Writes X and D into `directory` and returns their paths.
  private func writeInputs(in directory: URL, data: Tensor? = nil, dictionary: Tensor? = nil) throws -> (String, String)
  {
    let x = directory.appendingPathComponent("X.npy")
    let d = directory.appendingPathComponent("D.npy")
    try NPYFile.write(data ?? randomMatrix(rows: samples, columns: features, seed: 1), to: x)
    try NPYFile.write(dictionary ?? randomMatrix(rows: atoms, columns: features, seed: 2, unitRows: true), to: d)
    return (x.path, d.path)
  }

  private func jsonObject(_ text: String) throws -> [String: Any] {
    try #require(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
  }

  @Test(arguments: ["fista", "ista", "cd", "lars", "omp", "threshold"])
  func everySolverWritesCodesOfShapeSamplesByAtoms(solver: String) throws {
    let directory = try temporaryDirectory("codetests")
    defer { try? FileManager.default.removeItem(at: directory) }
    let (x, d) = try writeInputs(in: directory)
    let out = directory.appendingPathComponent("codes.npy")
    let output = try SparsityExecutable.run([
      "code", "--data", x, "--dictionary", d, "--solver", solver, "--out", out.path, "--json",
    ])
    #expect(output.status == 0, "\(output.standardError)")
    let codes = try NPYFile.read(contentsOf: out)
    #expect(codes.shape == [samples, atoms])
    let json = try jsonObject(output.standardOutput)
    #expect(json["samples"] as? Int == samples && json["atoms"] as? Int == atoms && json["solver"] as? String == solver)
    let error = try #require(json["relative_error"] as? Double)
    #expect(error > 0 && error < 1)  // every solver explains part of X
    let zeros = codes.scalars.filter { $0 == 0 }.count
    #expect(abs(try #require(json["zero_fraction"] as? Double) - Double(zeros) / Double(codes.count)) < 1e-12)
  }

  @Test func npzOutputIsTheSparseCSRFormOfTheDenseCodes() throws {
    let directory = try temporaryDirectory("codetests")
    defer { try? FileManager.default.removeItem(at: directory) }
    let (x, d) = try writeInputs(in: directory)
    let dense = directory.appendingPathComponent("codes.npy")
    let sparse = directory.appendingPathComponent("codes.npz")
    for out in [dense, sparse] {
      let output = try SparsityExecutable.run([
        "code", "--data", x, "--dictionary", d, "--solver", "lars", "--out", out.path,
      ])
      #expect(output.status == 0, "\(output.standardError)")
    }
    let csr = try NPZFile.readCSR(contentsOf: sparse)
    let codes = try NPYFile.read(contentsOf: dense)
    #expect(csr.rows == samples && csr.columns == atoms)
    #expect(csr.toDense() == codes)
    #expect(csr.nonzeroCount == codes.scalars.filter { $0 != 0 }.count && csr.nonzeroCount > 0)
  }

  @Test func lassoSolversAgreeOnTheObjective() throws {
    let directory = try temporaryDirectory("codetests")
    defer { try? FileManager.default.removeItem(at: directory) }
    let (x, d) = try writeInputs(in: directory)
    var objectives: [Double] = []
    for solver in ["fista", "cd", "lars"] {
      let out = directory.appendingPathComponent("\(solver).npy").path
      let output = try SparsityExecutable.run([
        "code", "--data", x, "--dictionary", d, "--solver", solver, "--out", out, "--json", "--tolerance", "1e-7",
      ])
      objectives.append(try #require(try jsonObject(output.standardOutput)["mean_objective"] as? Double))
    }
    #expect(objectives.max()! - objectives.min()! < 1e-4 * objectives.min()!)
  }

  @Test func ompWithThreeNonzerosGivesExactlyThreePerRow() throws {
    let directory = try temporaryDirectory("codetests")
    defer { try? FileManager.default.removeItem(at: directory) }
    let (x, d) = try writeInputs(in: directory)
    let out = directory.appendingPathComponent("codes.npy")
    let output = try SparsityExecutable.run([
      "code", "--data", x, "--dictionary", d, "--solver", "omp", "--nonzeros", "3", "--out", out.path,
    ])
    #expect(output.status == 0, "\(output.standardError)")
    let codes = try NPYFile.read(contentsOf: out)
    for row in 0..<samples {
      #expect((0..<atoms).filter { codes[row, $0] != 0 }.count == 3, "row \(row)")
    }
  }

  @Test(arguments: [false, true])
  func thresholdIsSoftThresholdOfCorrelations(positive: Bool) throws {
    let directory = try temporaryDirectory("codetests")
    defer { try? FileManager.default.removeItem(at: directory) }
    let (x, d) = try writeInputs(in: directory)
    let out = directory.appendingPathComponent("codes.npy")
    let output = try SparsityExecutable.run(
      ["code", "--data", x, "--dictionary", d, "--solver", "threshold", "--lambda", "0.3", "--out", out.path]
        + (positive ? ["--positive"] : []))
    #expect(output.status == 0, "\(output.standardError)")
    let codes = try NPYFile.read(contentsOf: out)
    let data = randomMatrix(rows: samples, columns: features, seed: 1)
    let dictionary = randomMatrix(rows: atoms, columns: features, seed: 2, unitRows: true)
    for i in 0..<samples {
      for k in 0..<atoms {
        let c = (0..<features).reduce(0.0) { $0 + Double(data[i, $1]) * Double(dictionary[k, $1]) }
        let expected = positive ? max(c - 0.3, 0) : (c > 0 ? 1.0 : -1.0) * max(abs(c) - 0.3, 0)
        #expect(abs(Double(codes[i, k]) - expected) < 1e-5, "(\(i), \(k))")
      }
    }
  }

  @Test func normalizeAcceptsAScaledDictionary() throws {
    let directory = try temporaryDirectory("codetests")
    defer { try? FileManager.default.removeItem(at: directory) }
    let unit = randomMatrix(rows: atoms, columns: features, seed: 2, unitRows: true)
    let (x, d) = try writeInputs(
      in: directory, dictionary: Tensor(shape: unit.shape, scalars: unit.scalars.map { $0 * 3 }))
    let out = directory.appendingPathComponent("codes.npy").path
    let rejected = try SparsityExecutable.run(["code", "--data", x, "--dictionary", d, "--out", out])
    #expect(
      rejected.status == 2 && rejected.standardError.contains(d) && rejected.standardError.contains("--normalize"))
    let accepted = try SparsityExecutable.run(["code", "--data", x, "--dictionary", d, "--out", out, "--normalize"])
    #expect(accepted.status == 0, "\(accepted.standardError)")
  }

  @Test func badInputsExitTwoNamingTheFile() throws {
    let directory = try temporaryDirectory("codetests")
    defer { try? FileManager.default.removeItem(at: directory) }
    let out = directory.appendingPathComponent("codes.npy").path
    // Feature mismatch: the dictionary has one feature more than the data.
    let (x, wide) = try writeInputs(
      in: directory, dictionary: randomMatrix(rows: atoms, columns: features + 1, seed: 2, unitRows: true))
    let mismatch = try SparsityExecutable.run(["code", "--data", x, "--dictionary", wide, "--out", out])
    #expect(
      mismatch.status == 2 && mismatch.standardError.contains(wide) && mismatch.standardError.contains("features"))
    // Missing file.
    let missing = directory.appendingPathComponent("nope.npy").path
    let absent = try SparsityExecutable.run(["code", "--data", missing, "--dictionary", wide, "--out", out])
    #expect(absent.status == 2 && absent.standardError.contains(missing))
    // NaN in the data.
    var data = randomMatrix(rows: samples, columns: features, seed: 1)
    data.scalars[5] = .nan
    let (nanData, d) = try writeInputs(in: directory, data: data)
    let nan = try SparsityExecutable.run(["code", "--data", nanData, "--dictionary", d, "--out", out])
    #expect(nan.status == 2 && nan.standardError.contains(nanData) && nan.standardError.contains("NaN"))
    // Unknown solver.
    let unknown = try SparsityExecutable.run([
      "code", "--data", nanData, "--dictionary", d, "--out", out, "--solver", "magic",
    ])
    #expect(unknown.status == 2 && unknown.standardError.contains("magic"))
    #expect(!FileManager.default.fileExists(atPath: out))
  }
}
