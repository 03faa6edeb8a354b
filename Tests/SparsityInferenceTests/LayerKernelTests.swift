import Foundation
import Testing

@testable import SparsityInference

@Suite struct LayerKernelTests {
  @Test func everyKernelRoundTripsThroughItsName() throws {
    for kernel in LayerKernel.all + [.bsr(blockRows: 2, blockColumns: 8)] {
      #expect(LayerKernel(name: kernel.name) == kernel)
      let data = try JSONEncoder().encode([kernel])
      #expect(try JSONDecoder().decode([LayerKernel].self, from: data) == [kernel])
    }
  }

  @Test(arguments: ["", "sparse", "bsr-0x4", "bsr-4", "bsr-1x4x2", "bsr-65x1", "DENSE"])
  func unknownNamesAreRejected(name: String) {
    #expect(LayerKernel(name: name) == nil)
    #expect(throws: DecodingError.self) {
      try JSONDecoder().decode([LayerKernel].self, from: Data("[\"\(name)\"]".utf8))
    }
  }

  @Test func kernelsSayWhichZerosTheySkip() {
    #expect(!LayerKernel.dense.skipsZeroInputs && !LayerKernel.dense.skipsZeroWeights)
    #expect(LayerKernel.activationSkipping.skipsZeroInputs && !LayerKernel.activationSkipping.skipsZeroWeights)
    #expect(LayerKernel.csr.skipsZeroWeights && !LayerKernel.csr.skipsZeroInputs)
    #expect(
      LayerKernel.sparseInputSparseWeights.skipsZeroInputs && LayerKernel.sparseInputSparseWeights.skipsZeroWeights)
  }
}
