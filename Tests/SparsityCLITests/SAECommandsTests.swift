import Foundation
import SparsityCore
import SparsityIO
import SparsityTestSupport
import Testing

/// `sae train`, `sae eval` and `sae encode` end to end through the executable.
@Suite struct SAECommandsTests {
  /// Rows that are sums of 3 of 24 random directions in 16 dimensions, plus a little noise.
  static func planted(rows: Int, seed: UInt64) -> Tensor {
    var generator = Xoshiro256StarStar(seed: 42)
    let directions = (0..<(24 * 16)).map { _ in generator.normal() }
    generator = Xoshiro256StarStar(seed: seed)
    var out = Tensor(zeros: [rows, 16])
    for i in 0..<rows {
      for _ in 0..<3 {
        let j = Int(generator.next() % 24)
        let weight = 1 + generator.nextUnitFloat()
        for c in 0..<16 { out[i, c] += weight * directions[j * 16 + c] }
      }
      for c in 0..<16 { out[i, c] += 0.01 * generator.normal() }
    }
    return out
  }

  static func json(_ text: String) throws -> [String: Any] {
    try #require(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
  }

  @Test func trainedAutoencoderIsEvaluatedAndEncodedAsTrainingReported() throws {
    let directory = try temporaryDirectory("sparsity-sae-cli")
    defer { try? FileManager.default.removeItem(at: directory) }
    let (train, heldOut) = (directory.appendingPathComponent("train.npy"), directory.appendingPathComponent("held.npy"))
    try NPYFile.write(Self.planted(rows: 4000, seed: 1), to: train)
    try NPYFile.write(Self.planted(rows: 500, seed: 2), to: heldOut)
    let sae = directory.appendingPathComponent("sae").path
    let trained = try SparsityExecutable.run([
      "sae", "train", "--data", train.path, "--held-out-data", heldOut.path, "--kind", "topk:3", "--latents", "48",
      "--epochs", "4", "--batch", "256", "--lr", "0.003", "--out", sae, "--json",
    ])
    try #require(trained.status == 0, "\(trained.standardError)")
    let summary = try Self.json(trained.standardOutput)
    let epochs = try #require(summary["epochs"] as? [[String: Any]])
    #expect(epochs.count == 4)
    let last = try #require(epochs.last?["held_out"] as? [String: Any])
    let first = try #require(epochs.first?["held_out"] as? [String: Any])
    let (lastFVU, firstFVU) = (try #require(last["fvu"] as? Double), try #require(first["fvu"] as? Double))
    #expect(lastFVU < firstFVU && lastFVU < 0.5, "held-out FVU \(firstFVU) -> \(lastFVU)")
    #expect(FileManager.default.fileExists(atPath: sae + "/cfg.json"))
    #expect(FileManager.default.fileExists(atPath: sae + "/sae_weights.safetensors"))

    let evaluated = try SparsityExecutable.run(["sae", "eval", "--sae", sae, "--data", heldOut.path, "--json"])
    try #require(evaluated.status == 0, "\(evaluated.standardError)")
    let evaluation = try Self.json(evaluated.standardOutput)
    #expect(abs(try #require(evaluation["fvu"] as? Double) - lastFVU) < 1e-9, "eval repeats the last epoch's figure")
    #expect(evaluation["l0"] as? Double == last["l0"] as? Double)

    let codes = directory.appendingPathComponent("codes.npz")
    let encoded = try SparsityExecutable.run([
      "sae", "encode", "--sae", sae, "--data", heldOut.path, "--out", codes.path,
    ])
    try #require(encoded.status == 0, "\(encoded.standardError)")
    let matrix = try NPZFile.readCSR(contentsOf: codes)
    #expect(matrix.rows == 500 && matrix.columns == 48)
    #expect((0..<500).allSatisfy { matrix.rowOffsets[$0 + 1] - matrix.rowOffsets[$0] <= 3 })
    #expect(encoded.standardOutput.contains("Encoded 500 rows into 48 latents"))
  }

  @Test(arguments: ["batchtopk:3", "jumprelu:0.001", "l1:0.01"])
  func everyKindTrainsFromSafetensorsAndSavesItsArchitecture(kind: String) throws {
    let directory = try temporaryDirectory("sparsity-sae-kinds")
    defer { try? FileManager.default.removeItem(at: directory) }
    let data = directory.appendingPathComponent("acts.safetensors")
    let rows = Self.planted(rows: 1200, seed: 3)
    try SafetensorsFile(tensors: ["acts": rows.reshaped([12, 100, 16]), "ids": Tensor([1, 2])]).write(to: data)
    let sae = directory.appendingPathComponent("sae").path
    let trained = try SparsityExecutable.run([
      "sae", "train", "--data", data.path, "--tensor", "acts", "--kind", kind, "--latents", "32", "--epochs", "2",
      "--batch", "128", "--out", sae,
    ])
    try #require(trained.status == 0, "\(trained.standardError)")
    #expect(trained.standardOutput.contains("Data: 1080 training rows from 1 file(s), 120 held-out rows"))
    #expect(trained.standardOutput.contains("epoch 2/2"))
    let config = try String(contentsOfFile: sae + "/cfg.json", encoding: .utf8)
    let architecture = kind.hasPrefix("l1") ? "standard" : "jumprelu"
    #expect(config.contains("\"architecture\": \"\(architecture)\""), "\(config)")
    let evaluated = try SparsityExecutable.run(["sae", "eval", "--sae", sae, "--data", data.path, "--tensor", "acts"])
    try #require(evaluated.status == 0, "\(evaluated.standardError)")
    #expect(evaluated.standardOutput.contains("Rows: 1200"))
  }

  /// Under an address-space limit too small for worker threads' stacks (`ulimit -v`, 1 GB here),
  /// training runs on the calling thread instead of retrying thread creation on every kernel
  /// call (which once turned a one-second run into a hang).
  @Test func trainsUnderAnAddressSpaceLimitThatLeavesNoRoomForThreads() throws {
    let directory = try temporaryDirectory("sparsity-sae-ulimit")
    defer { try? FileManager.default.removeItem(at: directory) }
    let data = directory.appendingPathComponent("acts.npy")
    try NPYFile.write(Self.planted(rows: 3000, seed: 4), to: data)
    let trained = try SparsityExecutable.run(
      [
        "sae", "train", "--data", data.path, "--kind", "topk:3", "--latents", "64", "--epochs", "2", "--out",
        directory.appendingPathComponent("sae").path,
      ], environment: [:], addressSpaceKiB: 1_000_000)
    try #require(trained.status == 0, "\(trained.standardError)")
    #expect(trained.standardOutput.contains("epoch 2/2"))
  }
}
