import Foundation
import SparsityCore
import SparsityIO
import Testing

@testable import SparsityReport

@Suite struct ReportWriterTests {
  private func temporaryDirectory() -> URL {
    FileManager.default.temporaryDirectory.appendingPathComponent("sparsity-report-\(UUID().uuidString)")
  }

  @Test func writesThePageAndEveryFileItReferences() throws {
    let root = temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: root) }
    let directory = root.appendingPathComponent("nested/report")
    let index = try ReportWriter.write(ReportDocumentTests.sample(), to: directory)
    #expect(index.lastPathComponent == "index.html")
    let html = try String(contentsOf: index, encoding: .utf8)
    let page = try XMLCheck.parse(html)
    let references = page.elements.compactMap { $0.attributes["src"] ?? $0.attributes["href"] }.filter {
      !$0.hasPrefix("#")
    }
    #expect(references.count == 2)
    for reference in references {
      let file = directory.appendingPathComponent(reference)
      #expect(FileManager.default.fileExists(atPath: file.path), "\(reference) is referenced but missing")
      let image = try PNGFile.read(contentsOf: file)
      #expect(image.width >= 1)
    }
    let digit = try PNGFile.read(contentsOf: directory.appendingPathComponent("digit.png"))
    #expect(digit.width == 8 && digit.height == 8)
    #expect(abs(digit.pixels[0] - 0.5) < 0.01)
    // Writing again replaces the files in place.
    try ReportWriter.write(ReportDocumentTests.sample(), to: directory)
    #expect(try String(contentsOf: index, encoding: .utf8) == html)
  }

  @Test func aFileInTheWayIsAnErrorNamingIt() throws {
    let root = temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: root) }
    try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    let blocker = root.appendingPathComponent("report")
    try Data("x".utf8).write(to: blocker)
    #expect {
      try ReportWriter.write(ReportDocument(title: "t"), to: blocker)
    } throws: { error in
      guard let error = error as? ReportError, case .unusableDirectory(let path, _) = error else { return false }
      return path.hasSuffix("report") && error.description.contains("report")
    }
    let below = blocker.appendingPathComponent("sub")
    #expect(throws: ReportError.self) { try ReportWriter.write(ReportDocument(title: "t"), to: below) }
  }

  /// A folder where a file of the report goes is an error naming that file, and stays.
  @Test func aFolderInPlaceOfAFileIsAnErrorNamingIt() throws {
    let root = temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: root) }
    let index = root.appendingPathComponent(ReportWriter.indexFileName)
    try FileManager.default.createDirectory(at: index, withIntermediateDirectories: true)
    #expect(throws: ReportError.unwritableFile(path: index.path, reason: "is a directory")) {
      try ReportWriter.write(ReportDocument(title: "t"), to: root)
    }
    #expect(try FileManager.default.contentsOfDirectory(atPath: root.path) == [ReportWriter.indexFileName])
  }
}
