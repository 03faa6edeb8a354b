import SparsityCore
import Testing

@testable import SparsityExperiments

/// What `sparsity measure` computes: a vector's measures, a matrix's rows, columns and dead
/// units, dropped columns, and higher ranks viewed as matrices.
@Suite struct InputMeasurementTests {
  @Test func theSeedExampleIsAVector() {
    let measurement = InputMeasurement(
      input: "seed", tensor: Tensor([0, 3.2, 0, 5.1, 0, 0.7, 0, 0]), epsilon: 1e-6, droppedColumns: [])
    #expect(measurement.matrix == nil)
    #expect(measurement.shape == [8])
    #expect(measurement.overall.zeros == 5 && measurement.overall.active == 3)
    #expect(measurement.overall.sparsity == 0.625)
  }

  @Test func aMatrixHasRowsColumnsAndDeadUnits() throws {
    let tensor = Tensor(rows: [[0, 1, 0], [0, 2, 3], [0, 0, 4]])
    let measurement = InputMeasurement(input: "m", tensor: tensor, epsilon: 0, droppedColumns: [])
    let matrix = try #require(measurement.matrix)
    #expect(matrix.rows == 3 && matrix.columns == 3)
    #expect(matrix.deadColumns == [0])
    #expect(matrix.rowReports.map(\.zeros) == [2, 1, 2])
    #expect(matrix.columnReports.map(\.zeros) == [3, 1, 1])
    #expect(measurement.overall.zeros == 5)
  }

  @Test func droppedColumnsKeepTheirOriginalIndices() throws {
    let tensor = Tensor(rows: [[0, 1, 0, 7], [0, 2, 0, 8]])
    let measurement = InputMeasurement(input: "m", tensor: tensor, epsilon: 0, droppedColumns: [3, 0])
    let matrix = try #require(measurement.matrix)
    #expect(matrix.columnIndices == [1, 2] && matrix.droppedColumns == [0, 3])
    #expect(matrix.deadColumns == [2])
    #expect(measurement.overall.count == 4 && measurement.overall.zeros == 2)
  }

  @Test func higherRanksAreMatricesOfTheLastAxis() throws {
    let tensor = Tensor(shape: [2, 2, 3], scalars: [0, 1, 2, 0, 3, 4, 0, 5, 6, 0, 7, 0])
    let measurement = InputMeasurement(input: "t", tensor: tensor, epsilon: 0, droppedColumns: [])
    let matrix = try #require(measurement.matrix)
    #expect(measurement.shape == [2, 2, 3])
    #expect(matrix.rows == 4 && matrix.columns == 3 && matrix.deadColumns == [0])
    let oneRow = InputMeasurement(input: "r", tensor: Tensor(rows: [[0, 1]]), epsilon: 0, droppedColumns: [])
    #expect(oneRow.matrix == nil)
  }
}
