// The compact string form of a ModelArchitecture, for the command line: `784-256-relu-10`,
// `1x28x28,conv:20:5x5,relu,maxpool:2,flatten,500,relu,10`.

import Foundation
import SparsityCore

/// Why a text does not describe an architecture: the text and what is wrong with it.
public struct ModelArchitectureError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The text that was given (the compact form or the JSON).
  public var text: String
  /// What is wrong, e.g. `'relu6' is not a layer (expected ...)`.
  public var detail: String

  public init(text: String, detail: String) {
    self.text = text
    self.detail = detail
  }

  /// One line: the architecture text, then what is wrong with it.
  public var description: String { "invalid architecture '\(text)': \(detail)" }
}

extension ModelArchitecture: CustomStringConvertible, LosslessStringConvertible {
  /// The syntax of the compact form, for help texts.
  public static let syntax = """
    INPUT,LAYER,LAYER,...: the input, then layers separated by ',' (or '-'):
      INPUT          N features, or an image CxHxW (HxW for one channel)
      N              Linear to N features (N:nobias, or linear:N[:nobias])
      relu           ReLU
      leaky_relu     LeakyReLU with slope 0.01 (leaky_relu:S for slope S)
      sigmoid        Sigmoid
      topk:K         TopK keeping the K largest activations of each sample
                     (topk:K:channel per channel, topk:K:position per pixel)
      dropout:P      Dropout with probability P in [0, 1)
      dropout2d:P    Dropout of whole channels
      conv:C:KxK     Conv2d to C channels; options :sS stride, :pP padding, :dD dilation,
                     :gG groups, :nobias (conv:32:3x3:p1, conv:64:3x3:s2:p1)
      maxpool:K      MaxPool2d with a KxK window, stride K (:sS stride, :pP padding)
      avgpool:K      AvgPool2d likewise
      gap            global average pooling to C x 1 x 1
      flatten        images to flat features
      bn             BatchNorm2d
      res(L,L,...)   residual block body(x) + x; res(BODY|SHORTCUT) adds shortcut(x)
    e.g. 784-256-relu-dropout:0.2-128-relu-10,
         1x28x28,conv:20:5x5,relu,maxpool:2,conv:50:5x5,relu,maxpool:2,flatten,500,relu,10
    """

  /// The deepest nesting of residual blocks the compact form accepts.
  public static let maximumNesting = 8

  /// Parses the compact form (see `syntax`), e.g. `784-256-relu-128-relu-10`: the input
  /// features or image, then layers separated by `,` or `-`. Names are case-insensitive; spaces
  /// around tokens are ignored.
  /// - Throws: `ModelArchitectureError` naming the text and the token at fault.
  public init(parsing text: String) throws(ModelArchitectureError) {
    func failure(_ detail: String) -> ModelArchitectureError { ModelArchitectureError(text: text, detail: detail) }
    let tokens: [String]
    do { tokens = try Self.tokens(text) } catch { throw failure(error.detail) }
    guard let first = tokens.first, let input = Self.sampleShape(first) else {
      throw failure(
        "it must start with the input features (a positive integer) or an image CxHxW, e.g. 784-256-relu-10")
    }
    guard tokens.count > 1 else { throw failure("no layers after the input, e.g. \(first)-10") }
    let layers: [LayerSpec]
    do { layers = try Self.layers(tokens.dropFirst()) } catch { throw failure(error.detail) }
    if let problem = Self.problem(input: input, layers: layers) { throw failure(problem) }
    self.init(input: input, layers: layers)
  }

  /// The compact form of a description, or nil when it is invalid.
  public init?(_ description: String) {
    guard let parsed = try? ModelArchitecture(parsing: description) else { return nil }
    self = parsed
  }

  /// The compact form, e.g. `784-256-relu-dropout:0.2-10`, or with `,` between the tokens when
  /// the input is an image; `init(parsing:)` reads it back to an equal architecture.
  public var description: String {
    ([input.description] + layers.map(\.token)).joined(separator: input.image == nil ? "-" : ",")
  }

  /// The layers of a list such as `conv:32:3x3,relu,maxpool:2,flatten,128,relu` (no input).
  /// - Throws: `ModelArchitectureError` naming the list and the token at fault.
  public static func layers(parsing text: String) throws(ModelArchitectureError) -> [LayerSpec] {
    do { return try layers(tokens(text)[...]) } catch {
      throw ModelArchitectureError(text: text, detail: error.detail)
    }
  }

  /// Flat features (`784`) or an image (`1x28x28`, `28x28`).
  static func sampleShape(_ token: String) -> SampleShape? {
    let parts = token.split(separator: "x", omittingEmptySubsequences: false).map { Int($0) }
    guard parts.allSatisfy({ $0 != nil && $0! > 0 }) else { return nil }
    switch parts.count {
    case 1: return .features(parts[0]!)
    case 2: return ImageShape.checked(rows: parts[0]!, columns: parts[1]!).map { .image($0) }
    case 3: return ImageShape.checked(channels: parts[0]!, rows: parts[1]!, columns: parts[2]!).map { .image($0) }
    default: return nil
    }
  }

  private static func layers(_ tokens: ArraySlice<String>) throws(ModelArchitectureError) -> [LayerSpec] {
    var layers = [LayerSpec]()
    for token in tokens {
      switch Self.layer(token) {
      case .success(let layer): layers.append(layer)
      case .failure(let problem): throw problem
      }
    }
    return layers
  }

  /// Splits at top-level `,` and `-` (not inside parentheses), trimmed and lowercased.
  static func tokens(_ text: String) throws(ModelArchitectureError) -> [String] {
    var tokens = [String]()
    var current = ""
    var level = 0
    for character in text {
      switch character {
      case "(":
        level += 1
        guard level <= maximumNesting else {
          throw ModelArchitectureError(text: text, detail: "residual blocks nest deeper than \(maximumNesting)")
        }
      case ")":
        level -= 1
        guard level >= 0 else { throw ModelArchitectureError(text: text, detail: "a ')' without its '('") }
      case ",", "-":
        if level == 0 {
          tokens.append(current.trimmingCharacters(in: .whitespaces).lowercased())
          current = ""
          continue
        }
      default: break
      }
      current.append(character)
    }
    guard level == 0 else { throw ModelArchitectureError(text: text, detail: "a '(' without its ')'") }
    tokens.append(current.trimmingCharacters(in: .whitespaces).lowercased())
    return tokens
  }
}
