import Testing

@testable import SparsityBench

@Suite struct MachineDescriptionTests {
  func machine(core: String, extensions: Set<String>) -> MachineDescription {
    MachineDescription(
      processor: "test", cores: 2, kernelThreads: 2, blas: "OpenBLAS", blasCore: core, vectorExtensions: extensions)
  }

  @Test func warnsAboutAGenericCoreOnAWideVectorCPU() {
    let avx512 = machine(core: "Prescott", extensions: ["avx2", "avx512f"]).unfairBaselineWarning
    #expect(avx512?.contains("OPENBLAS_CORETYPE=SkylakeX") == true)
    #expect(avx512?.contains("Prescott") == true)
    let avx2 = machine(core: "Sandybridge", extensions: ["avx2"]).unfairBaselineWarning
    #expect(avx2?.contains("OPENBLAS_CORETYPE=Haswell") == true)
  }

  @Test func staysQuietWhenTheBaselineIsFair() {
    #expect(machine(core: "SkylakeX", extensions: ["avx2", "avx512f"]).unfairBaselineWarning == nil)
    #expect(machine(core: "Haswell", extensions: ["avx2"]).unfairBaselineWarning == nil)
    #expect(machine(core: "Prescott", extensions: []).unfairBaselineWarning == nil)
  }
}
