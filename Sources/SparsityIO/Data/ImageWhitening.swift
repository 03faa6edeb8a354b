import Foundation
import SparsityCore

/// The whitening filter of Olshausen & Field for natural images, applied to a whole image
/// before patches are cut from it.
///
/// In the frequency domain the filter is
///
///     R(f) = |f| exp(-(|f| / f0)^4),        |f| in cycles per pixel,
///
/// which flattens the 1/|f| amplitude spectrum of natural images (the |f| factor) and rolls
/// off the highest frequencies, where noise and aliasing dominate (the exponential). Sparse
/// coding of patches of images filtered this way yields localized, oriented, bandpass atoms
/// (Olshausen & Field, "Emergence of simple-cell receptive field properties by learning a
/// sparse code for natural images", Nature 381, 1996; filter from "Sparse coding with an
/// overcomplete basis set", Vision Research 37, 1997, with f0 = 0.4 of the Nyquist frequency).
/// ZCA whitening of the patches alone flattens the spectrum too but keeps the noise, which
/// then shows in the atoms.
public enum ImageWhitening {
  /// The filtered image, scaled to unit standard deviation over its pixels.
  ///
  /// The filter is applied as a convolution with its impulse response, computed by a direct
  /// inverse DFT of R on a 64 x 64 frequency grid, truncated to (2 radius + 1)^2 taps and
  /// shifted to sum to zero (R(0) = 0: the image mean is removed). Pixels beyond the border
  /// repeat the nearest edge pixel.
  /// - Parameters:
  ///   - image: the image to whiten.
  ///   - cutoff: f0 in cycles per pixel (default 0.2, i.e. 0.4 of the Nyquist 0.5).
  ///   - radius: half-width of the kernel in pixels.
  /// - Complexity: O(width height (2 radius + 1)^2).
  public static func whitened(_ image: GrayImage, cutoff: Double = 0.2, radius: Int = 7) -> GrayImage {
    precondition(cutoff > 0 && radius >= 1, "ImageWhitening: cutoff \(cutoff), radius \(radius)")
    let kernel = self.kernel(cutoff: cutoff, radius: radius)
    let (w, h, side) = (image.width, image.height, 2 * radius + 1)
    var out = [Float](repeating: 0, count: w * h)
    image.pixels.withUnsafeBufferPointer { pixels in
      for r in 0..<h {
        for c in 0..<w {
          var sum = 0.0
          for dr in -radius...radius {
            let row = min(max(r + dr, 0), h - 1) * w
            let taps = (dr + radius) * side + radius
            for dc in -radius...radius {
              sum += kernel[taps + dc] * Double(pixels[row + min(max(c + dc, 0), w - 1)])
            }
          }
          out[r * w + c] = Float(sum)
        }
      }
    }
    let count = Double(max(1, out.count))
    let mean = out.reduce(0.0) { $0 + Double($1) } / count
    let variance = out.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / count
    let scale = variance > 0 ? 1 / variance.squareRoot() : 1
    return GrayImage(width: w, height: h, pixels: out.map { Float((Double($0) - mean) * scale) })
  }

  /// The impulse response of R, (2 radius + 1)^2 taps row-major, summing to zero.
  static func kernel(cutoff: Double, radius: Int) -> [Double] {
    let grid = 64
    let side = 2 * radius + 1
    var response = [Double](repeating: 0, count: grid * grid)
    for i in 0..<grid {
      for j in 0..<grid {
        let fy = Double(i < grid / 2 ? i : i - grid) / Double(grid)
        let fx = Double(j < grid / 2 ? j : j - grid) / Double(grid)
        let f = (fx * fx + fy * fy).squareRoot()
        response[i * grid + j] = f * exp(-pow(f / cutoff, 4))
      }
    }
    var kernel = [Double](repeating: 0, count: side * side)
    for dy in -radius...radius {
      for dx in -radius...radius {
        var sum = 0.0
        for i in 0..<grid {
          for j in 0..<grid {
            let phase = 2 * Double.pi * Double(i * dy + j * dx) / Double(grid)
            sum += response[i * grid + j] * cos(phase)
          }
        }
        kernel[(dy + radius) * side + dx + radius] = sum / Double(grid * grid)
      }
    }
    let mean = kernel.reduce(0, +) / Double(kernel.count)
    return kernel.map { $0 - mean }
  }
}
