import Foundation
import SparsityCore
import SparsityIO
import SparsityTestSupport
import Testing

/// `sparsity learn-dictionary` end to end: the built executable on the embedded digits and on
/// a small synthetic image.
@Suite struct LearnDictionaryCommandTests {

  private func jsonObject(_ text: String) throws -> [String: Any] {
    try #require(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
  }

  /// A seeded `size` x `size` image: a diagonal gradient plus Gaussian noise, clipped to 0...1.
  private func writeGradientImage(size: Int, to url: URL) throws {
    try PNGFile.write(gradientImage(size: size), to: url)
  }

  @Test func digitsGiveUnitNormAtomsAndAMosaic() throws {
    let directory = try temporaryDirectory("learntests")
    defer { try? FileManager.default.removeItem(at: directory) }
    let out = directory.appendingPathComponent("dict.npy")
    let png = directory.appendingPathComponent("atoms.png")
    let output = try SparsityExecutable.run([
      "learn-dictionary", "--data", "digits", "--atoms", "16", "--epochs", "2", "--out", out.path, "--image", png.path,
    ])
    #expect(output.status == 0, "\(output.standardError)")
    let dictionary = try NPYFile.read(contentsOf: out)
    #expect(dictionary.shape == [16, 64])
    for atom in 0..<16 {
      let norm = (0..<64).reduce(Float(0)) { $0 + dictionary[atom, $1] * dictionary[atom, $1] }.squareRoot()
      #expect(abs(norm - 1) < 1e-3, "atom \(atom) has norm \(norm)")
    }
    let image = try ImageFile.read(contentsOf: png)
    // 16 atoms: a 4 x 4 grid of 8-pixel tiles with 1-pixel borders, 4 * 9 + 1 = 37 pixels.
    #expect(image.width == 37 && image.height == 37)
    #expect(output.standardOutput.contains("atoms              16"))
  }

  @Test func jsonReportsAnObjectiveThatDoesNotRise() throws {
    let directory = try temporaryDirectory("learntests")
    defer { try? FileManager.default.removeItem(at: directory) }
    let out = directory.appendingPathComponent("dict.npy")
    let output = try SparsityExecutable.run([
      "learn-dictionary", "--data", "digits", "--atoms", "16", "--epochs", "2", "--lambda", "0.1", "--out", out.path,
      "--json",
    ])
    #expect(output.status == 0, "\(output.standardError)")
    let json = try jsonObject(output.standardOutput)
    #expect(json["samples"] as? Int == 1797 && json["features"] as? Int == 64 && json["atoms"] as? Int == 16)
    let objectives = try #require(json["epoch_objectives"] as? [Double])
    #expect(objectives.count == 2)
    #expect(objectives.last! <= objectives.first! + 1e-9)
    let zeroFraction = try #require(json["zero_fraction"] as? Double)
    let nonzeros = try #require(json["mean_nonzeros"] as? Double)
    #expect(abs(zeroFraction - (1 - nonzeros / 16)) < 1e-9)
    let error = try #require(json["relative_error"] as? Double)
    #expect(error > 0 && error < 1)
  }

  @Test func patchesOfASyntheticImage() throws {
    let directory = try temporaryDirectory("learntests")
    defer { try? FileManager.default.removeItem(at: directory) }
    let image = directory.appendingPathComponent("gradient.png")
    let out = directory.appendingPathComponent("dict.npy")
    try writeGradientImage(size: 64, to: image)
    let output = try SparsityExecutable.run([
      "learn-dictionary", "--data", "patches:\(image.path)", "--patch", "8", "--patches", "500", "--atoms", "8",
      "--epochs", "2", "--out", out.path, "--json",
    ])
    #expect(output.status == 0, "\(output.standardError)")
    #expect(try NPYFile.read(contentsOf: out).shape == [8, 64])
    #expect(try jsonObject(output.standardOutput)["samples"] as? Int == 500)
  }

  @Test func aMissingImageIsNamed() throws {
    let directory = try temporaryDirectory("learntests")
    defer { try? FileManager.default.removeItem(at: directory) }
    let missing = directory.appendingPathComponent("nowhere.png").path
    let output = try SparsityExecutable.run([
      "learn-dictionary", "--data", "patches:\(missing)", "--out", directory.appendingPathComponent("d.npy").path,
    ])
    #expect(output.status == 2)
    #expect(output.standardError.contains("nowhere.png"))
  }

  @Test func anImageSmallerThanThePatchIsNamed() throws {
    let directory = try temporaryDirectory("learntests")
    defer { try? FileManager.default.removeItem(at: directory) }
    let image = directory.appendingPathComponent("tiny.png")
    try writeGradientImage(size: 4, to: image)
    let out = directory.appendingPathComponent("d.npy")
    let output = try SparsityExecutable.run(["learn-dictionary", "--data", "patches:\(image.path)", "--out", out.path])
    #expect(output.status == 2)
    #expect(output.standardError.contains("tiny.png") && output.standardError.contains("smaller than the 8x8 patch"))
    #expect(!FileManager.default.fileExists(atPath: out.path))
  }

  @Test(arguments: [["--atoms", "0"], ["--lambda", "-1"], ["--epochs", "x"], ["--batch", "0"]])
  func badNumbersAreRejected(extra: [String]) throws {
    let directory = try temporaryDirectory("learntests")
    defer { try? FileManager.default.removeItem(at: directory) }
    let out = directory.appendingPathComponent("d.npy").path
    let output = try SparsityExecutable.run(["learn-dictionary", "--data", "digits"] + extra + ["--out", out])
    #expect(output.status == 2)
    #expect(output.standardError.contains("option \(extra[0])"))
    #expect(!FileManager.default.fileExists(atPath: out))
  }

  /// The strokes recipe: nonnegative raw digits, nonnegative codes and atoms, random start,
  /// and an enlarged mosaic.
  @Test func nonnegativeAtomsFromARandomStart() throws {
    let directory = try temporaryDirectory("learntests")
    defer { try? FileManager.default.removeItem(at: directory) }
    let out = directory.appendingPathComponent("dict.npy")
    let png = directory.appendingPathComponent("atoms.png")
    let output = try SparsityExecutable.run([
      "learn-dictionary", "--data", "digits:raw", "--positive", "--positive-atoms", "--init", "random", "--atoms", "16",
      "--lambda", "0.05", "--epochs", "2", "--batch", "64", "--out", out.path, "--image", png.path, "--image-scale",
      "2",
    ])
    #expect(output.status == 0, "\(output.standardError)")
    let dictionary = try NPYFile.read(contentsOf: out)
    #expect(dictionary.shape == [16, 64] && dictionary.scalars.allSatisfy { $0 >= 0 })
    let image = try ImageFile.read(contentsOf: png)
    #expect(image.width == 74 && image.height == 74)  // (4 * 9 + 1) * 2
  }

  /// Patches of the whitening-filtered image, and a starting dictionary read from a file.
  @Test func whitenedImageAndInitialDictionary() throws {
    let directory = try temporaryDirectory("learntests")
    defer { try? FileManager.default.removeItem(at: directory) }
    let image = directory.appendingPathComponent("gradient.png")
    let out = directory.appendingPathComponent("dict.npy")
    try writeGradientImage(size: 40, to: image)
    let initial = directory.appendingPathComponent("d0.npy")
    var generator = Xoshiro256StarStar(seed: 9)
    try NPYFile.write(Tensor.normal(shape: [8, 64], using: &generator), to: initial)
    let output = try SparsityExecutable.run([
      "learn-dictionary", "--data", "patches:\(image.path)", "--whiten-image", "--patches", "300", "--atoms", "8",
      "--epochs", "1", "--init", initial.path, "--out", out.path, "--json",
    ])
    #expect(output.status == 0, "\(output.standardError)")
    #expect(try NPYFile.read(contentsOf: out).shape == [8, 64])
  }

  @Test func anInitialDictionaryOfTheWrongShapeIsNamed() throws {
    let directory = try temporaryDirectory("learntests")
    defer { try? FileManager.default.removeItem(at: directory) }
    let initial = directory.appendingPathComponent("wrong.npy")
    try NPYFile.write(Tensor(zeros: [3, 64]), to: initial)
    let output = try SparsityExecutable.run([
      "learn-dictionary", "--data", "digits", "--atoms", "16", "--init", initial.path,
      "--out", directory.appendingPathComponent("d.npy").path,
    ])
    #expect(output.status != 0)
    #expect(
      output.standardError.contains("wrong.npy") && output.standardError.contains("expected 16 atoms x 64 features"))
  }
}
