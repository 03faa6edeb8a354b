// Plans as JSON files: written atomically, checked against the model when read.

import Foundation
import SparsityIO
import SparsityNN

extension InferencePlan {
  /// The plan as pretty-printed JSON with snake_case keys.
  public var jsonData: Data {
    let encoder = JSONEncoder()
    encoder.keyEncodingStrategy = .convertToSnakeCase
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    // Every field is finite by construction, so encoding cannot fail.
    return try! encoder.encode(self)
  }

  /// Writes the plan as JSON to `url`, atomically (see `AtomicFile`).
  /// - Throws: `InferencePlanError.unwritable` naming the file.
  public func write(to url: URL) throws(InferencePlanError) {
    do { try AtomicFile.write(jsonData, to: url) } catch {
      throw .unwritable(file: error.file, reason: error.reason)
    }
  }

  /// Decodes a plan from JSON `data`; `file` names it in errors.
  /// - Throws: `InferencePlanError.malformed` or `.unsupportedVersion`.
  public static func decode(_ data: Data, file: String) throws(InferencePlanError) -> InferencePlan {
    let plan: InferencePlan
    do {
      plan = try StrictJSONDecoder.decode(
        InferencePlan.self, from: String(decoding: data, as: UTF8.self), keys: .snakeCase)
    } catch { throw .malformed(file: file, detail: error.description) }
    guard plan.format == formatName else {
      throw .malformed(file: file, detail: "format is '\(plan.format)', expected '\(formatName)'")
    }
    guard plan.formatVersion == currentVersion else {
      throw .unsupportedVersion(file: file, version: plan.formatVersion)
    }
    guard plan.batch > 0 else { throw .malformed(file: file, detail: "batch \(plan.batch) is not positive") }
    guard plan.threads > 0 else { throw .malformed(file: file, detail: "threads \(plan.threads) is not positive") }
    if let bands = plan.rowBands, !(1...plan.threads).contains(bands.bands) || bands.firstLayer > bands.lastLayer {
      throw .malformed(
        file: file,
        detail:
          "row_bands: \(bands.bands) bands over layers \(bands.firstLayer)-\(bands.lastLayer) (bands from 1 to the plan's \(plan.threads) threads, first layer at most the last)"
      )
    }
    for (position, layer) in plan.layers.enumerated() {
      if let threads = layer.threads, !(1...plan.threads).contains(threads) {
        throw .malformed(
          file: file, detail: "layers[\(position)].threads \(threads) is not from 1 to the plan's \(plan.threads)")
      }
    }
    return plan
  }

  /// Reads the plan at `url` and checks that it fits `network` (same Linear layers and shapes).
  /// - Throws: `InferencePlanError` naming the file and the problem.
  public static func read(contentsOf url: URL, for network: Sequential) throws(InferencePlanError) -> InferencePlan {
    let file = url.relativePath
    let data: Data
    do { data = try ArrayFileAccess.contents(of: url) } catch {
      guard case .unreadable(_, let reason) = error else { throw .unreadable(file: file, reason: error.problem) }
      throw .unreadable(file: file, reason: reason)
    }
    let plan = try decode(data, file: file)
    if let problem = plan.mismatch(with: network) { throw .doesNotFitModel(file: file, detail: problem) }
    return plan
  }
}
