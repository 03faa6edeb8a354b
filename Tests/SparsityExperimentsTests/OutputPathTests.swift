import Foundation
import SparsityTestSupport
import Testing

@testable import SparsityExperiments

/// Output paths checked before an experiment runs.
@Suite struct OutputPathTests {
  @Test func aMissingDirectoryIsCreatedAndAFileRefused() throws {
    let directory = try temporaryDirectory("output-path")
    defer { try? FileManager.default.removeItem(at: directory) }
    let nested = directory.appendingPathComponent("a/b").path
    #expect(try OutputPath.directory(nested, option: "report").path == nested)
    var isDirectory: ObjCBool = false
    #expect(FileManager.default.fileExists(atPath: nested, isDirectory: &isDirectory) && isDirectory.boolValue)
    #expect(try OutputPath.directory(nested, option: "report").path == nested)
    let file = directory.appendingPathComponent("file").path
    try Data().write(to: URL(fileURLWithPath: file))
    #expect(
      throws: ExperimentError.invalidSetting(
        option: "report", value: file, expected: "a directory (a file of that name exists)")
    ) {
      try OutputPath.directory(file, option: "report")
    }
  }

  @Test func aFileNeedsAWritableDirectory() throws {
    let directory = try temporaryDirectory("output-path")
    defer { try? FileManager.default.removeItem(at: directory) }
    try OutputPath.checkFile(directory.appendingPathComponent("m.safetensors").path, option: "out")
    let expected = "a file path in an existing, writable directory"
    #expect(throws: ExperimentError.invalidSetting(option: "out", value: "", expected: expected)) {
      try OutputPath.checkFile("", option: "out")
    }
    #expect(
      throws: ExperimentError.invalidSetting(
        option: "out", value: directory.path, expected: expected + " (it is a directory)")
    ) {
      try OutputPath.checkFile(directory.path, option: "out")
    }
    let missing = directory.appendingPathComponent("none/m.safetensors").path
    #expect(
      throws: ExperimentError.invalidSetting(
        option: "out", value: missing, expected: expected + " (\(directory.path)/none is not)")
    ) {
      try OutputPath.checkFile(missing, option: "out")
    }
  }

  /// A regular file is writable but holds no files: a path inside one fails up front, not
  /// when the work is done and written.
  @Test func aPathInsideAFileIsRefusedNamingTheFile() throws {
    let directory = try temporaryDirectory("output-path")
    defer { try? FileManager.default.removeItem(at: directory) }
    let file = directory.appendingPathComponent("file").path
    try Data().write(to: URL(fileURLWithPath: file))
    #expect(
      throws: ExperimentError.invalidSetting(
        option: "out", value: file + "/m.npy",
        expected: "a file path in an existing, writable directory (\(file) is not)")
    ) {
      try OutputPath.checkFile(file + "/m.npy", option: "out")
    }
    #expect(
      throws: ExperimentError.invalidSetting(
        option: "report", value: file + "/a/b",
        expected: "a directory that can be created (\(file) is not a writable directory)")
    ) {
      try OutputPath.directory(file + "/a/b", option: "report")
    }
  }
}
