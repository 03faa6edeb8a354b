import Testing

@testable import SparsityCore
@testable import SparsityIO

/// Parses `text`, or returns the syntax error.
private func parse(_ text: String) -> Result<StrictJSON, StrictJSON.SyntaxError> {
  Result { () throws(StrictJSON.SyntaxError) -> StrictJSON in try StrictJSON.parse(Array(text.utf8)) }
}

@Suite struct StrictJSONTests {
  @Test func parsesEveryKindKeepingOrderAndDuplicates() throws {
    let value = try StrictJSON.parse(Array(#" {"b": [1, -2.5e3, true, false, null], "a": "x", "b": {}} "#.utf8))
    #expect(
      value
        == .object([
          .init(key: "b", value: .array([.number("1"), .number("-2.5e3"), .bool(true), .bool(false), .null])),
          .init(key: "a", value: .string("x")),
          .init(key: "b", value: .object([])),
        ]))
  }

  @Test func resolvesEscapesAndSurrogatePairs() throws {
    let value = try StrictJSON.parse(Array(#""\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00 ü""#.utf8))
    #expect(value == .string("\"\\/\u{08}\u{0C}\n\r\té😀 ü"))
  }

  @Test func readsNonNegativeIntegersExactly() {
    #expect(StrictJSON.number("9007199254740993").nonNegativeInteger == 9_007_199_254_740_993)
    #expect(StrictJSON.number("-1").nonNegativeInteger == nil)
    #expect(StrictJSON.number("1.0").nonNegativeInteger == nil)
    #expect(StrictJSON.number("1e3").nonNegativeInteger == nil)
    #expect(StrictJSON.number("99999999999999999999").nonNegativeInteger == nil)
    #expect(StrictJSON.string("1").nonNegativeInteger == nil)
  }

  @Test func rejectsInvalidTextWithTheOffset() {
    let cases: [(String, Int)] = [
      ("", 0), ("{", 1), ("[1,]", 3), ("{\"a\" 1}", 5), ("01", 1), ("1.", 2), ("-", 1), ("tru", 0),
      ("\"a", 2), ("\"\\x\"", 2), ("\"\\ud800\"", 7), ("\"\\u12\"", 3), ("\"\u{1}\"", 1), ("[] []", 3), ("{1: 2}", 1),
    ]
    for (text, offset) in cases {
      guard case .failure(let error) = parse(text) else {
        Issue.record("\(text) was accepted")
        continue
      }
      #expect(error.offset == offset, "\(text): \(error.description)")
    }
  }

  @Test func limitsNesting() {
    let deep = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
    guard case .failure(let error) = parse(deep) else {
      Issue.record("100 levels accepted")
      return
    }
    #expect(error.detail.contains("nesting deeper than 64"))
    #expect((try? StrictJSON.parse(Array(deep.utf8), maximumDepth: 101)) != nil)
  }
}
