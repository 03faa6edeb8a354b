import SparsityIO
import SparsityNN
import Testing

@testable import SparsityExperiments

/// The JSON text of `sparsity prune --json`: the record's members, then samples, layers, history, out.
@Suite struct PruneSummaryJSONTests {
  @Test func theSummaryWritesTheRecordThenEveryLayer() throws {
    var fineTuning = TrainingSettings()
    fineTuning.epochs = 1
    let request = PruneRequest(sparsity: 0.5, fineTuneEpochs: 1, fineTuning: fineTuning, output: "p.safetensors")
    var summary = PruneSummary(
      request: request, input: "m.safetensors",
      before: [
        PruneSummary.Layer(index: 0, name: "Linear(2, 4)", weights: 8, zeros: 0),
        PruneSummary.Layer(index: 2, name: "Linear(4, 2)", weights: 8, zeros: 2),
      ])
    summary.after = [
      PruneSummary.Layer(index: 0, name: "Linear(2, 4)", weights: 8, zeros: 4),
      PruneSummary.Layer(index: 2, name: "Linear(4, 2)", weights: 8, zeros: 4),
    ]
    summary.samples = 10
    summary.accuracyBefore = 0.5
    summary.accuracyPruned = 0.25
    summary.accuracyAfter = 0.75
    #expect(
      try JSONValue(encoding: summary).text
        == #"{"sparsity":0.5,"scope":"global","pattern":"unstructured","fine_tune_epochs":1,"#
        + #""fine_tune":{"batch_size":"64","learning_rate":"0.001","optimizer":"Adam","schedule":"constant","#
        + #""seed":"0","validation_fraction":"0.1"},"weight_sparsity_before":0.125,"weight_sparsity_after":0.5,"#
        + #""accuracy_before":0.5,"accuracy_pruned":0.25,"accuracy_after":0.75,"samples":10,"layers":["#
        + #"{"index":0,"name":"Linear(2, 4)","weights":8,"weight_sparsity_before":0.0,"weight_sparsity_after":0.5},"#
        + #"{"index":2,"name":"Linear(4, 2)","weights":8,"weight_sparsity_before":0.25,"weight_sparsity_after":0.5}"#
        + #"],"history":[],"out":"p.safetensors"}"#)
  }

  @Test func withoutDataTheAccuraciesAndSamplesAreNull() throws {
    let summary = PruneSummary(
      request: PruneRequest(sparsity: 0.5, output: "p.safetensors"), input: "m.safetensors", before: [])
    #expect(
      try JSONValue(encoding: summary).text
        == #"{"sparsity":0.5,"scope":"global","pattern":"unstructured","fine_tune_epochs":0,"#
        + #""weight_sparsity_before":0.0,"weight_sparsity_after":0.0,"accuracy_before":null,"#
        + #""accuracy_pruned":null,"accuracy_after":null,"samples":null,"layers":[],"history":[],"#
        + #""out":"p.safetensors"}"#)
  }
}
