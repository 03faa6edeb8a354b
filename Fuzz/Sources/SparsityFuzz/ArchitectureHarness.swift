// The compact architecture grammar of the command line (`--arch 1x28x28,conv:20:5x5,relu,...`).

import Foundation
import SparsityNN

/// `ModelArchitecture(parsing:)` on the input as text: an accepted architecture's compact form
/// reads back to an equal architecture, and that form reads back to itself.
enum ArchitectureHarness: Harness {
  static let maximumLength = 1024
  static let entryPoints = "ModelArchitecture(parsing:), description"

  static func run(_ data: Data) -> Bool {
    guard let architecture = try? ModelArchitecture(parsing: String(decoding: data, as: UTF8.self)) else {
      return false
    }
    let text = architecture.description
    let again = mustDecode("the compact form written back") { () throws(ModelArchitectureError) in
      try ModelArchitecture(parsing: text)
    }
    precondition(again == architecture, "architecture: '\(text)' reads back to '\(again.description)'")
    precondition(again.description == text, "architecture: the compact form '\(text)' is not stable")
    return true
  }

  static var seeds: [String: Data] {
    [
      "mlp.txt": Data("784-256-relu-dropout:0.2-128-leaky_relu:0.1-topk:16-10".utf8),
      "lenet.txt": Data("1x28x28,conv:20:5x5,relu,maxpool:2,conv:50:5x5,relu,maxpool:2,flatten,500,relu,10".utf8),
      "resnet.txt": Data(
        "3x16x16,conv:8:3x3:p1,bn,relu,res(conv:8:3x3:p1,bn,relu,conv:8:3x3:p1|conv:8:1x1),avgpool:2,conv:16:3x3:s2:p1:g2:nobias,dropout2d:0.1,topk:2:channel,gap,flatten,10"
          .utf8),
    ]
  }
}
