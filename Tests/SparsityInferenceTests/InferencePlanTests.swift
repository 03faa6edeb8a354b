import Foundation
import SparsityCore
import SparsityNN
import Testing

@testable import SparsityInference

@Suite struct InferencePlanTests {
  let network = TestNetworks.sparseMLP(inputs: 20, hidden: [30], outputs: 4, weightZeros: 0.8)

  func temporaryURL(_ name: String) -> URL {
    FileManager.default.temporaryDirectory.appendingPathComponent("infer-\(UUID().uuidString)-\(name)")
  }

  @Test func planRoundTripsThroughAFile() throws {
    let plan = Planner(method: .costModel).plan(network, calibration: TestNetworks.inputs(10, 20, zeros: 0.5), batch: 8)
    let url = temporaryURL("plan.json")
    defer { try? FileManager.default.removeItem(at: url) }
    try plan.write(to: url)
    #expect(try InferencePlan.read(contentsOf: url, for: network) == plan)
    let text = try String(contentsOf: url, encoding: .utf8)
    #expect(
      text.contains("\"format_version\" : 1") && text.contains("\"kernel\" : \"") && text.contains("\"weight_density\"")
    )
  }

  @Test func planForAnotherModelIsRejectedNamingTheFile() throws {
    let other = TestNetworks.sparseMLP(inputs: 20, hidden: [31], outputs: 4, weightZeros: 0.8)
    let url = temporaryURL("other.json")
    defer { try? FileManager.default.removeItem(at: url) }
    try InferencePlan.dense(for: other).write(to: url)
    let error = try #require(throws: InferencePlanError.self) { try InferencePlan.read(contentsOf: url, for: network) }
    #expect(
      error.description.hasPrefix(url.relativePath + ": the plan does not fit the model: layer 0 is Linear(20, 30)"))
    let deeper = TestNetworks.sparseMLP(inputs: 20, hidden: [30, 30], outputs: 4, weightZeros: 0.8)
    #expect(InferencePlan.dense(for: deeper).mismatch(with: network)?.contains("3 Linear and Conv2d layers") == true)
  }

  @Test(arguments: [
    ("{", "not a valid inference plan"),
    ("{\"format\": \"x\"}", "missing key"),
    ("[1]", "not a valid inference plan"),
  ])
  func malformedFilesAreRejected(text: String, message: String) throws {
    let url = temporaryURL("bad.json")
    defer { try? FileManager.default.removeItem(at: url) }
    try Data(text.utf8).write(to: url)
    let error = try #require(throws: InferencePlanError.self) { try InferencePlan.read(contentsOf: url, for: network) }
    #expect(error.description.contains(url.relativePath) && error.description.contains(message), "\(error)")
  }

  @Test func unknownKernelAndVersionAreRejected() throws {
    var json = String(decoding: InferencePlan.dense(for: network).jsonData, as: UTF8.self)
    json = json.replacingOccurrences(of: "\"kernel\" : \"dense\"", with: "\"kernel\" : \"magic\"")
    let error = try #require(throws: InferencePlanError.self) {
      try InferencePlan.decode(Data(json.utf8), file: "p.json")
    }
    #expect(error.description.contains("unknown kernel 'magic'"), "\(error)")
    let newer = String(decoding: InferencePlan.dense(for: network).jsonData, as: UTF8.self)
      .replacingOccurrences(of: "\"format_version\" : 1", with: "\"format_version\" : 2")
    #expect(throws: InferencePlanError.unsupportedVersion(file: "p.json", version: 2)) {
      try InferencePlan.decode(Data(newer.utf8), file: "p.json")
    }
  }

  @Test func threadCountsRoundTripAndOutOfRangeOnesAreRejected() throws {
    let plan = InferencePlan.dense(for: network, threads: 1)
    #expect(try InferencePlan.decode(plan.jsonData, file: "p.json") == plan)
    #expect(plan.layers.allSatisfy { $0.threads == 1 })
    let json = String(decoding: plan.jsonData, as: UTF8.self).replacingOccurrences(
      of: "\"threads\" : 1,", with: "\"threads\" : 0,")
    let error = try #require(throws: InferencePlanError.self) {
      try InferencePlan.decode(Data(json.utf8), file: "p.json")
    }
    #expect(error.description.contains("threads 0"), "\(error)")
  }

  @Test func missingFileIsUnreadable() {
    #expect(throws: InferencePlanError.unreadable(file: "/nonexistent/plan.json", reason: "no such file")) {
      try InferencePlan.read(contentsOf: URL(fileURLWithPath: "/nonexistent/plan.json"), for: network)
    }
  }

  /// A device is never read to its end; it is refused for what it is (Foundation said 'You
  /// don't have permission').
  @Test func aDeviceIsNotAPlan() {
    #expect(
      throws: InferencePlanError.unreadable(file: "/dev/zero", reason: "is a character device, not a regular file")
    ) {
      try InferencePlan.read(contentsOf: URL(fileURLWithPath: "/dev/zero"), for: network)
    }
  }

  @Test func aPlanThatCannotBeWrittenSaysWhy() {
    let plan = InferencePlan.dense(for: network)
    #expect(
      throws: InferencePlanError.unwritable(
        file: "/nonexistent/plan.json", reason: "directory /nonexistent does not exist")
    ) { try plan.write(to: URL(fileURLWithPath: "/nonexistent/plan.json")) }
    let directory = FileManager.default.temporaryDirectory
    #expect(throws: InferencePlanError.unwritable(file: directory.relativePath, reason: "is a directory")) {
      try plan.write(to: directory)
    }
  }
}
