// The parsers under test, one harness each, and how a process picks one.

import Foundation

/// One parser under test: what the fuzzer feeds it and what must hold of what it returns.
///
/// A thrown error is a clean refusal and passes; a trap, a timeout, a memory blow-up or a broken
/// invariant (`precondition`) is a bug that libFuzzer reports with the input that caused it.
protocol Harness {
  /// The longest input worth trying, libFuzzer's `-max_len` (bytes).
  static var maximumLength: Int { get }
  /// The library functions it calls, for the listing.
  static var entryPoints: String { get }
  /// Parses `data` and checks the invariants of what comes back; true when the parser accepted it.
  static func run(_ data: Data) -> Bool
  /// Small valid files made by the library's encoders, by file name: the start of the corpus.
  static var seeds: [String: Data] { get }
  /// Recomputes the checksums of a mutated input in place, so it gets past them (default: none).
  static func repairChecksums(_ bytes: UnsafeMutableBufferPointer<UInt8>)
}

extension Harness {
  static func repairChecksums(_ bytes: UnsafeMutableBufferPointer<UInt8>) {}
}

/// The fuzz targets: one per file parser. The raw value is the name SPARSITY_FUZZ_TARGET takes.
enum FuzzTarget: String, CaseIterable, Sendable {
  case npy, npz, zip, safetensors, activations, sae, contexts, gzip, png, pgm, wav, idx, csv, json, plan, model,
    architecture

  /// The harness that runs this target's parser.
  var harness: any Harness.Type {
    switch self {
    case .npy: return NPYHarness.self
    case .npz: return NPZHarness.self
    case .zip: return ZipHarness.self
    case .safetensors: return SafetensorsHarness.self
    case .activations: return ActivationsHarness.self
    case .sae: return SAEHarness.self
    case .contexts: return ContextsHarness.self
    case .gzip: return GzipHarness.self
    case .png: return PNGHarness.self
    case .pgm: return PGMHarness.self
    case .wav: return WAVHarness.self
    case .idx: return IDXHarness.self
    case .csv: return CSVHarness.self
    case .json: return JSONHarness.self
    case .plan: return PlanHarness.self
    case .model: return ModelHarness.self
    case .architecture: return ArchitectureHarness.self
    }
  }

  /// The target SPARSITY_FUZZ_TARGET names. Exits instead when it is `list` (prints one line per
  /// target: name, -max_len, entry points), when SPARSITY_FUZZ_SEEDS names a folder (writes every
  /// target's seeds into `<folder>/<target>/`), or when the name is missing or unknown (status 2).
  static func fromEnvironment() -> FuzzTarget {
    let environment = ProcessInfo.processInfo.environment
    if let folder = environment["SPARSITY_FUZZ_SEEDS"] {
      exit(writeSeeds(to: URL(fileURLWithPath: folder)) ? 0 : 1)
    }
    let name = environment["SPARSITY_FUZZ_TARGET"] ?? ""
    if name == "list" {
      for target in allCases {
        print("\(target.rawValue) \(target.harness.maximumLength) \(target.harness.entryPoints)")
      }
      exit(0)
    }
    guard let target = FuzzTarget(rawValue: name) else {
      let names = allCases.map(\.rawValue).joined(separator: ", ")
      FileHandle.standardError.write(
        Data("sparsity-fuzz: set SPARSITY_FUZZ_TARGET to one of \(names) (or list); got '\(name)'\n".utf8))
      exit(2)
    }
    return target
  }

  /// Writes every target's seeds into `<folder>/<target>/<seed name>`; false after a failure.
  private static func writeSeeds(to folder: URL) -> Bool {
    do {
      for target in allCases {
        let directory = folder.appendingPathComponent(target.rawValue)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        for (name, data) in target.harness.seeds.sorted(by: { $0.key < $1.key }) {
          precondition(data.count <= target.harness.maximumLength, "seed \(target)/\(name) exceeds -max_len")
          precondition(target.harness.run(data), "seed \(target)/\(name) does not decode")
          try data.write(to: directory.appendingPathComponent(name))
        }
      }
      return true
    } catch {
      FileHandle.standardError.write(Data("sparsity-fuzz: cannot write the seeds: \(error)\n".utf8))
      return false
    }
  }
}
