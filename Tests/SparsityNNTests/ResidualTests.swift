import SparsityCore
import SparsityTestSupport
import Testing

@testable import SparsityNN

@Suite struct ResidualTests {
  private func block(shortcut: Bool, seed: UInt64) throws -> Residual {
    let text =
      shortcut ? "2x5x4,res(conv:3:3x3:p1,sigmoid,conv:3:3x3:p1|conv:3:1x1)" : "2x5x4,res(conv:2:3x3:p1,sigmoid)"
    return try #require(try ModelArchitecture(parsing: text).makeSequential(seed: seed).layers.first as? Residual)
  }

  @Test(arguments: [false, true])
  func gradientsMatchFiniteDifferences(shortcut: Bool) throws {
    let layer = try block(shortcut: shortcut, seed: 4)
    let errors = GradientCheck.checkLayer(layer, input: normalMatrix(3, 40, seed: 5), seed: 6)
    #expect(errors.input < 1e-3, "input gradient error \(errors.input)")
    #expect(errors.parameters.count == (shortcut ? 6 : 2))
    #expect(errors.parameters.allSatisfy { $0 < 1e-3 }, "parameter errors \(errors.parameters)")
  }

  @Test func identityShortcutAddsTheInput() throws {
    let layer = try block(shortcut: false, seed: 7)
    let input = normalMatrix(2, 40, seed: 8)
    var output = Tensor(zeros: [2, 40])
    layer.forward(input, into: &output, training: false)
    let body = layer.body.forward(input, training: false)
    #expect(output == Tensor(shape: [2, 40], scalars: zip(body.scalars, input.scalars).map { $0 + $1 }))
  }

  @Test func flattenIsTheIdentityOnValues() {
    let layer = Flatten(input: ImageShape(channels: 2, rows: 3, columns: 1))
    let errors = GradientCheck.checkLayer(layer, input: normalMatrix(2, 6, seed: 9), seed: 10)
    #expect(errors.input < 1e-4)
    #expect(layer.outputShape == ImageShape(channels: 6, rows: 1, columns: 1))
  }
}
