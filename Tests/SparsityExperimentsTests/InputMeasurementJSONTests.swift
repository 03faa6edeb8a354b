import SparsityCore
import SparsityIO
import Testing

@testable import SparsityExperiments

/// The JSON text of `sparsity measure --json`: a vector, a matrix, a matrix with a dropped column.
@Suite struct InputMeasurementJSONTests {
  static let matrix = Tensor(rows: [[0, 1, 0], [0, 2, 0.5]])

  @Test func aVectorWritesTheOverallMeasures() throws {
    let measurement = InputMeasurement(
      input: "0,3,0,4", tensor: Tensor([0, 3, 0, 4]), epsilon: SparsityMeasures.defaultEpsilon, droppedColumns: [])
    #expect(
      try JSONValue(encoding: measurement).text
        == #"{"input":"0,3,0,4","shape":[4],"count":4,"zeros":2,"active":2,"sparsity":0.5,"near_zero":2,"#
        + #""near_zero_fraction":0.5,"epsilon":1e-06,"l1":7.0,"l2":5.0,"hoyer":0.6000000000000001,"#
        + #""gini":0.5357142857142857}"#)
  }

  @Test func aMatrixAddsRowsColumnsAndDeadColumns() throws {
    let measurement = InputMeasurement(
      input: "mat.csv", tensor: Self.matrix, epsilon: SparsityMeasures.defaultEpsilon, droppedColumns: [])
    #expect(
      try JSONValue(encoding: measurement).text
        == #"{"input":"mat.csv","shape":[2,3],"count":6,"zeros":3,"active":3,"sparsity":0.5,"near_zero":3,"#
        + #""near_zero_fraction":0.5,"epsilon":1e-06,"l1":3.5,"l2":2.29128784747792,"hoyer":0.6360614248714579,"#
        + #""gini":0.6428571428571428,"rows":{"count":2,"#
        + #""sparsity":{"mean":0.5,"min":0.3333333333333333,"max":0.6666666666666666},"#
        + #""near_zero_fraction":{"mean":0.5,"min":0.3333333333333333,"max":0.6666666666666666},"#
        + #""hoyer":{"mean":0.8547381390862994,"min":0.7094762781725987,"max":1.0},"#
        + #""gini":{"mean":0.6000000000000001,"min":0.5333333333333333,"max":0.6666666666666667}},"#
        + #""columns":{"count":3,"sparsity":{"mean":0.5,"min":0.0,"max":1.0},"index":[0,1,2],"#
        + #""per_column_sparsity":[1.0,0.0,0.5],"per_column_near_zero_fraction":[1.0,0.0,0.5]},"#
        + #""dead_columns":[0],"dropped_columns":[]}"#)
  }

  @Test func droppedColumnsKeepTheirOriginalIndices() throws {
    let measurement = InputMeasurement(
      input: "mat.csv", tensor: Self.matrix, epsilon: SparsityMeasures.defaultEpsilon, droppedColumns: [0])
    let text = try JSONValue(encoding: measurement).text
    #expect(text.hasPrefix(#"{"input":"mat.csv","shape":[2,3],"count":4,"zeros":1,"#))
    #expect(
      text.hasSuffix(
        #""columns":{"count":2,"sparsity":{"mean":0.25,"min":0.0,"max":0.5},"index":[1,2],"#
          + #""per_column_sparsity":[0.0,0.5],"per_column_near_zero_fraction":[0.0,0.5]},"#
          + #""dead_columns":[],"dropped_columns":[0]}"#))
  }
}
