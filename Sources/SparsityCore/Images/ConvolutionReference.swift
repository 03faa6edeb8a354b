// Reference twins of the convolution kernels: the defining sums, one term at a time, in Double.

/// Reference twin of `convolve`: each output value as its defining sum.
public func convolveReference(
  _ input: Tensor, weight: [Float], bias: [Float]?, geometry: ConvolutionGeometry, into output: inout Tensor
) {
  let g = geometry
  for n in 0..<input.rows {
    for o in 0..<g.output.channels {
      let group = o / g.outputChannelsPerGroup
      for p in 0..<g.output.rows {
        for q in 0..<g.output.columns {
          var total = Double(bias?[o] ?? 0)
          for c in 0..<g.inputChannelsPerGroup {
            let channel = group * g.inputChannelsPerGroup + c
            for i in 0..<g.window.kernelRows {
              for j in 0..<g.window.kernelColumns {
                guard let pixel = referencePixel(g, channel: channel, p: p, q: q, i: i, j: j) else { continue }
                let w = weight[
                  ((o * g.inputChannelsPerGroup + c) * g.window.kernelRows + i) * g.window.kernelColumns + j]
                total += Double(w) * Double(input.scalars[n * g.input.featureCount + pixel])
              }
            }
          }
          output.scalars[n * g.output.featureCount + (o * g.output.rows + p) * g.output.columns + q] = Float(total)
        }
      }
    }
  }
}

/// Reference twin of `convolutionGradients`: every term G[n, o, p, q] * x (weight gradient) and
/// G[n, o, p, q] * w (input gradient) added where it belongs.
public func convolutionGradientsReference(
  input: Tensor, outputGradient: Tensor, weight: [Float], geometry: ConvolutionGeometry,
  weightGradient: inout [Float], overwriteWeightGradient: Bool, inputGradient: UnsafeMutablePointer<Float>?
) {
  let g = geometry
  var dw = [Double](repeating: 0, count: weight.count)
  var dx = [Double](repeating: 0, count: input.count)
  for n in 0..<input.rows {
    for o in 0..<g.output.channels {
      let group = o / g.outputChannelsPerGroup
      for p in 0..<g.output.rows {
        for q in 0..<g.output.columns {
          let gradient = Double(
            outputGradient.scalars[n * g.output.featureCount + (o * g.output.rows + p) * g.output.columns + q])
          for c in 0..<g.inputChannelsPerGroup {
            let channel = group * g.inputChannelsPerGroup + c
            for i in 0..<g.window.kernelRows {
              for j in 0..<g.window.kernelColumns {
                guard let pixel = referencePixel(g, channel: channel, p: p, q: q, i: i, j: j) else { continue }
                let index = ((o * g.inputChannelsPerGroup + c) * g.window.kernelRows + i) * g.window.kernelColumns + j
                dw[index] += gradient * Double(input.scalars[n * g.input.featureCount + pixel])
                dx[n * g.input.featureCount + pixel] += gradient * Double(weight[index])
              }
            }
          }
        }
      }
    }
  }
  for index in weightGradient.indices {
    weightGradient[index] = Float(dw[index] + (overwriteWeightGradient ? 0 : Double(weightGradient[index])))
  }
  if let inputGradient { for index in dx.indices { inputGradient[index] = Float(dx[index]) } }
}

/// The flat index within a sample of the input pixel that tap (i, j) of output (p, q) reads in
/// `channel`, or nil for the padding.
private func referencePixel(_ g: ConvolutionGeometry, channel: Int, p: Int, q: Int, i: Int, j: Int) -> Int? {
  let row = p * g.window.strideRows - g.window.paddingRows + i * g.window.dilationRows
  let column = q * g.window.strideColumns - g.window.paddingColumns + j * g.window.dilationColumns
  guard row >= 0, row < g.input.rows, column >= 0, column < g.input.columns else { return nil }
  return (channel * g.input.rows + row) * g.input.columns + column
}
