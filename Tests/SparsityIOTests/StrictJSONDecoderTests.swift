import Testing

@testable import SparsityIO

private struct Sample: Codable, Equatable {
  var name: String
  var count: Int
  var seed: UInt64
  var ratio: Float
  var weights: [Double]
  var note: String?
  var nested: [String: Int]
}

@Suite struct StrictJSONDecoderTests {
  @Test func encodesAndDecodesBackExactly() throws {
    let sample = Sample(
      name: "a\"b", count: -3, seed: 1 << 62, ratio: 0.1, weights: [1e-300, 2.5, -0.0], note: nil, nested: ["x": 1])
    let text = try JSONValue(encoding: sample).text
    #expect(text.hasPrefix(#"{"name":"a\"b","count":-3,"seed":4611686018427387904,"ratio":0.1,"#))
    #expect(try StrictJSONDecoder.decode(Sample.self, from: text) == sample)
  }

  @Test func snakeCaseKeys() throws {
    struct Keys: Codable, Equatable { var formatVersion: Int }
    let text = try JSONValue(encoding: Keys(formatVersion: 2), keys: .snakeCase).text
    #expect(text == #"{"format_version":2}"#)
    #expect(try StrictJSONDecoder.decode(Keys.self, from: text, keys: .snakeCase) == Keys(formatVersion: 2))
  }

  @Test func faultsNameThePath() {
    let cases: [(String, String)] = [
      (#"{"name":"a","count":1.5}"#, "at count: 1.5 is not an integer"),
      (#"{"name":"a","name":"b"}"#, "key \"name\" appears twice"),
      (#"{"name":"a","count":1,"seed":-1}"#, "at seed: -1 is not an integer in 0..."),
      (#"{"name":"a","count":1,"seed":1,"ratio":1e39}"#, "at ratio: 1e39 is not a number in Float's range"),
      (
        #"{"name":"a","count":1,"seed":1,"ratio":1,"weights":[1,"x"]}"#,
        "at weights[1]: expected a finite number, found string"
      ),
      (#"{"name":"a","count":1,"seed":1,"ratio":1,"weights":[]}"#, "missing key \"nested\""),
      (#"{"name":"a""#, "not valid JSON: at byte 11"),
      (String(repeating: "[", count: 100), "nesting deeper than 64 levels"),
    ]
    for (text, expected) in cases {
      #expect(throws: StrictJSONDecodingError.self) { try StrictJSONDecoder.decode(Sample.self, from: text) }
      do {
        _ = try StrictJSONDecoder.decode(Sample.self, from: text)
      } catch {
        #expect(error.description.contains(expected), "\(text): \(error.description)")
      }
    }
  }

  @Test func pathsSpellTheKeysAsTheTextDoes() {
    struct Plan: Codable { var layers: [Layer] }
    struct Layer: Codable { var layerIndex: Int }
    let cases = [
      (#"{"layers":[{"layer_index":9223372036854775808}]}"#, "at layers[0].layer_index: 9223372036854775808 is not"),
      (#"{"layers":[{}]}"#, #"at layers[0]: missing key "layer_index""#),
    ]
    for (text, expected) in cases {
      do {
        _ = try StrictJSONDecoder.decode(Plan.self, from: text, keys: .snakeCase)
        Issue.record("\(text) decoded")
      } catch {
        #expect(error.description.hasPrefix(expected), "\(text): \(error.description)")
      }
    }
  }

  @Test func nonFiniteNumbersAreNullAndDoNotReadBackAsNumbers() throws {
    #expect(try JSONValue(encoding: [Double.nan, 1, -.infinity]).text == "[null,1.0,null]")
    #expect(throws: StrictJSONDecodingError.self) { try StrictJSONDecoder.decode([Double].self, from: "[null,1.0]") }
    #expect(throws: EncodingError.self) { try JSONValue(encoding: [UInt64.max]) }
  }
}
