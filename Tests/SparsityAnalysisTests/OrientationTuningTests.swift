import SparsityCore
import SparsityNN
import Testing

@testable import SparsityAnalysis

@Suite struct OrientationTuningTests {
  /// A network of two hand-built edge filters: Sobel across columns (vertical edges) and across
  /// rows (horizontal edges), then ReLU.
  private func edgeNetwork() throws -> Sequential {
    let network = try ModelArchitecture(parsing: "1x16x16,conv:3:3x3,relu").makeSequential(seed: 0)
    let conv = try #require(network.layers[0] as? Conv2d)
    let vertical: [Float] = [-1, 0, 1, -2, 0, 2, -1, 0, 1]
    let horizontal: [Float] = [-1, -2, -1, 0, 0, 0, 1, 2, 1]
    let diagonal: [Float] = [0, 1, 2, -1, 0, 1, -2, -1, 0]
    conv.weight.value = Tensor(shape: [3, 1, 3, 3], scalars: vertical + horizontal + diagonal)
    conv.bias!.value = Tensor(zeros: [3])
    return network
  }

  @Test func handBuiltEdgeFiltersAreFoundWithTheirOrientation() throws {
    let network = try edgeNetwork()
    let stimuli = OrientedStimuli(shape: ImageShape(rows: 16, columns: 16))
    let tuning = OrientationTuning.measure(
      network, layerIndex: 1, outputShape: ImageShape(channels: 3, rows: 14, columns: 14), stimuli: stimuli)
    #expect(tuning.angles == [0, 15, 30, 45, 60, 75, 90, 105, 120, 135, 150, 165])
    #expect(tuning.units[0].preferredAngle == 90)
    #expect(tuning.units[0].selectivity! > 0.95, "vertical OSI \(tuning.units[0].selectivity!)")
    #expect(tuning.units[1].preferredAngle == 0)
    #expect(tuning.units[1].selectivity! > 0.95)
    // The diagonal filter's intensity rises towards the top right, so its edges run the other
    // way ("\\", 135 degrees); a 3x3 kernel is broadly tuned around it and silent at 45.
    #expect((120...150).contains(tuning.units[2].preferredAngle!), "\(tuning.units[2])")
    #expect(abs(tuning.units[2].curve[3]) < 1e-3)
    #expect(tuning.verticalUnits() == [0])
  }

  @Test func aUnitThatNeverRespondsHasNoPreference() {
    let unit = OrientationTuning.unit(curve: [0, 0, 0, 0], angles: [0, 45, 90, 135])
    #expect(unit.preferredAngle == nil && unit.selectivity == nil)
    let flat = OrientationTuning.unit(curve: [2, 2, 2, 2], angles: [0, 45, 90, 135])
    #expect(flat.preferredAngle == 0 && flat.selectivity == 0)
  }

  @Test func gratingsHaveTheirStripesAtTheirAngle() {
    let stimuli = OrientedStimuli(shape: ImageShape(rows: 8, columns: 8), orientations: 4, periods: [4], phases: 1)
    // Vertical stripes (90 degrees): constant down each column.
    let vertical = stimuli.images.row(stimuli.orientationIndex.firstIndex(of: 2)!).scalars
    for c in 0..<8 { #expect(Set((0..<8).map { vertical[$0 * 8 + c] }).count == 1) }
    let horizontal = stimuli.images.row(0).scalars
    for r in 0..<8 { #expect(Set((0..<8).map { horizontal[r * 8 + $0] }).count == 1) }
  }
}
