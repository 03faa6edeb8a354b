import Testing

@testable import SparsityIO

/// Control characters in what messages echo, written out.
@Suite struct PrintableTextTests {
  @Test func controlCharactersAreWrittenOutAndTheRestKept() {
    #expect(PrintableText.escaped("a\rb\u{1b}[2K\u{0}\t\u{7f}\u{9b}") == #"a\u{d}b\u{1b}[2K\u{0}\u{9}\u{7f}\u{9b}"#)
    #expect(PrintableText.escaped("plain ü 数 \\u{d}") == "plain ü 数 \\u{d}")
    #expect(
      ArrayFileError.printable(String(repeating: "\r", count: 81)) == String(repeating: #"\u{d}"#, count: 80) + "...")
  }
}
