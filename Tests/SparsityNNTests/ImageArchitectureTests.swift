import Foundation
import SparsityCore
import SparsityIO
import SparsityTestSupport
import Testing

@testable import SparsityNN

@Suite struct ImageArchitectureTests {
  static let lenet = "1x28x28,conv:20:5x5,relu,maxpool:2,conv:50:5x5,relu,maxpool:2,flatten,500,relu,10"
  static let resnet =
    "3x9x9,conv:8:3x3:p1:nobias,bn,relu,res(conv:8:3x3:p1,bn,relu,conv:8:3x3:p1,bn),relu,res(conv:16:3x3:s2:p1,bn,relu|conv:16:1x1:s2,bn),avgpool:2:s1,dropout2d:0.1,topk:2:channel,topk:3:position,conv:16:3x3:p1:g4:d1,gap,flatten,10"

  @Test func followsASampleThroughLeNet() throws {
    let architecture = try ModelArchitecture(parsing: Self.lenet)
    #expect(
      architecture.shapes.map(\.description) == [
        "1x28x28", "20x24x24", "20x24x24", "20x12x12", "50x8x8", "50x8x8", "50x4x4", "800", "500", "500", "10",
      ])
    #expect(architecture.description == Self.lenet)
    #expect(
      architecture.tensorShapes.map(\.name) == [
        "0.weight", "0.bias", "3.weight", "3.bias", "7.weight", "7.bias", "9.weight", "9.bias",
      ])
    #expect(architecture.tensorShapes[2].shape == [50, 20, 5, 5])
    #expect(architecture.tensorShapes[4].shape == [500, 800])
    // 20*25*576 + 50*500*64 + 800*500 + 500*10 multiply-adds.
    #expect(architecture.multiplyAddsPerSample == 288_000 + 1_600_000 + 400_000 + 5_000)
  }

  @Test func roundTripsEveryImageLayerThroughTextJSONAndNetworks() throws {
    let architecture = try ModelArchitecture(parsing: Self.resnet)
    #expect(try ModelArchitecture(parsing: architecture.description) == architecture)
    #expect(try ModelArchitecture(json: architecture.json) == architecture)
    let network = architecture.makeSequential(seed: 1)
    #expect(ModelArchitecture(describing: network) == architecture)
    let names = Set(architecture.tensorShapes.map(\.name))
    #expect(names.contains("1.running_var") && names.contains("1.num_batches_tracked"))
    #expect(names.contains("3.body.3.weight") && names.contains("5.shortcut.1.running_mean"))
    #expect(!names.contains("0.bias"))
    #expect(Set(ModelFile.stateDictionary(of: network).keys) == names)
  }

  @Test func jsonOfAConvolutionUsesPyTorchsNames() throws {
    let architecture = try ModelArchitecture(parsing: "1x8x8,conv:4:3x3:s2:p1,maxpool:2,bn")
    #expect(
      architecture.json
        == #"{"input_features":64,"input_shape":[1,8,8],"layers":[{"kind":"conv2d","bias":true,"in_channels":1,"out_channels":4,"kernel_size":[3,3],"stride":[2,2],"padding":[1,1],"dilation":[1,1],"groups":1},{"kind":"max_pool2d","kernel_size":[2,2],"stride":[2,2],"padding":[0,0],"dilation":[1,1]},{"kind":"batch_norm2d","num_features":4,"eps":1e-05,"momentum":0.1}]}"#
    )
  }

  @Test func errorsNameTheLayerAndWhatReachesIt() {
    let cases: [(String, String)] = [
      ("1x8x8,conv:4:3x3,10", "layer 1: linear needs flat features but gets 4x6x6 images; add flatten"),
      ("64,conv:4:3x3", "conv:4:3x3 needs images"),
      ("1x8x8,conv:4:9x9", "the 9x9 window does not fit in a 8x8 input"),
      ("3x8x8,conv:4:3x3:g2", "2 groups must divide the input channels (3)"),
      ("1x8x8,conv:4:3x3:s0", "the stride must be from 1 to 1048576, got 0"),
      ("1x8x8,conv:4:3x3:q1", "'q1' is not an option here"),
      ("1x8x8,maxpool:2:p2", "the padding must be at most half"),
      ("1x8x8,res(conv:4:3x3:p1)", "the body gives 4x8x8 but the shortcut 1x8x8"),
      ("1x8x8,res(conv:4:3x3:p1", "a '(' without its ')'"),
      ("1x8x8,relu)", "a ')' without its '('"),
      (
        "1x8x8," + String(repeating: "res(", count: 9) + "relu" + String(repeating: ")", count: 9), "nest deeper than 8"
      ),
      ("1x8x8,topk:64:channel", "keeps every value"),
      ("0x8x8,relu", "must start with the input features"),
      ("1x8x8,bn:2", "bn takes no value"),
    ]
    for (text, fragment) in cases {
      var caught: ModelArchitectureError?
      do { _ = try ModelArchitecture(parsing: text) } catch { caught = error }
      #expect(caught?.detail.contains(fragment) == true, "\(text): \(String(describing: caught))")
    }
  }

  @Test func modelFilesKeepBatchNormStatisticsAndResidualWeights() throws {
    let architecture = try ModelArchitecture(
      parsing: "2x6x6,conv:4:3x3:p1,bn,relu,res(conv:4:3x3:p1,bn|conv:4:1x1),flatten,3")
    let network = architecture.makeSequential(seed: 2, initialization: .pytorchDefault)
    let input = normalMatrix(5, 72, seed: 3)
    for _ in 0..<3 { network.forward(input, training: true) }  // moves the running statistics
    let expected = network.forward(input, training: false)
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("image-architecture-\(UUID()).safetensors")
    defer { try? FileManager.default.removeItem(at: url) }
    try ModelFile(network: network).write(to: url)
    let loaded = try ModelFile.read(contentsOf: url)
    #expect(ModelArchitecture(describing: loaded.network) == architecture)
    #expect(loaded.network.forward(input, training: false) == expected)
    let norm = try #require(loaded.network.layers[1] as? BatchNorm2d)
    #expect(norm.batchesTracked.value.scalars == [3])
  }

  /// PyTorch saves `num_batches_tracked` as a 0-dimensional int64 (dtype I64): such a file
  /// loads, the count converted to a Float.
  @Test func readsTheInt64BatchCountPyTorchWrites() throws {
    let architecture = try ModelArchitecture(parsing: "2x3x3,bn,flatten,2")
    let network = architecture.makeSequential(seed: 4, initialization: .pytorchDefault)
    let norm = try #require(network.layers[0] as? BatchNorm2d)
    norm.runningMean.value = Tensor([0.5, -1])
    norm.runningVariance.value = Tensor([2, 0.25])
    norm.batchesTracked.value = Tensor(shape: [], scalars: [7])
    var entries = [String]()
    var data = [UInt8]()
    for (name, tensor) in ModelFile.stateDictionary(of: network).sorted(by: { $0.key < $1.key }) {
      let isCount = name == "0.num_batches_tracked"
      let bytes: [UInt8] =
        isCount
        ? withUnsafeBytes(of: Int64(tensor.scalars[0]).littleEndian, Array.init)
        : tensor.scalars.flatMap { withUnsafeBytes(of: $0.bitPattern.littleEndian, Array.init) }
      entries.append(
        "\"\(name)\":{\"dtype\":\"\(isCount ? "I64" : "F32")\",\"shape\":\(tensor.shape),"
          + "\"data_offsets\":[\(data.count),\(data.count + bytes.count)]}")
      data += bytes
    }
    let header = Array("{\(entries.joined(separator: ","))}".utf8)
    let bytes = withUnsafeBytes(of: UInt64(header.count).littleEndian, Array.init) + header + data
    let contents = try SafetensorsFile.decode(Data(bytes), file: "torch.safetensors")
    let loaded = try ModelFile.decode(contents, file: "torch.safetensors", architecture: architecture)
    let loadedNorm = try #require(loaded.network.layers[0] as? BatchNorm2d)
    #expect(loadedNorm.batchesTracked.value.shape == [] && loadedNorm.batchesTracked.value.scalars == [7])
    #expect(loadedNorm.runningVariance.value == Tensor([2, 0.25]))
    let input = normalMatrix(4, 18, seed: 5)
    #expect(loaded.network.forward(input, training: false) == network.forward(input, training: false))
  }
}
