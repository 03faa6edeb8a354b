import Foundation
import Testing

@testable import SparsityCore
@testable import SparsityIO

@Suite struct ImageGridTests {
  @Test func layoutHasOnePixelBordersAndANearSquareGrid() {
    let tiles = Tensor(shape: [10, 12], scalars: (0..<120).map { Float($0) })
    let grid = ImageGrid.image(tiles: tiles, tileWidth: 4, tileHeight: 3)
    // ceil(sqrt(10)) = 4 columns, 3 rows.
    #expect(grid.width == 4 * 5 + 1 && grid.height == 3 * 4 + 1)
    let square = ImageGrid.image(tiles: Tensor(zeros: [6, 64]), size: 8, columns: 3, border: 2)
    #expect(square.width == 3 * 10 + 2 && square.height == 2 * 10 + 2)
  }

  @Test func eachTileIsScaledToItsOwnRangeAndPlaced() {
    // Tile 0 runs 0...5, tile 1 runs -100...-94, tile 2 is constant.
    let tiles = Tensor(rows: [
      (0..<6).map { Float($0) }, (0..<6).map { Float($0) - 100 }, [Float](repeating: 7, count: 6),
    ])
    let grid = ImageGrid.image(tiles: tiles, tileWidth: 3, tileHeight: 2, columns: 2, borderValue: 0.25)
    #expect(grid.width == 9 && grid.height == 7)
    for k in 0..<2 {
      let left = 1 + k * 4
      #expect(grid[1, left] == 0 && grid[2, left + 2] == 1)
      #expect(abs(grid[1, left + 1] - 0.2) < 1e-6)
    }
    #expect(grid[4, 1] == 0.5 && grid[5, 3] == 0.5)
    // Borders, the gap between tiles and the empty cell keep the border value.
    #expect(grid[0, 0] == 0.25 && grid[1, 4] == 0.25 && grid[3, 2] == 0.25 && grid[4, 5] == 0.25 && grid[6, 8] == 0.25)
  }

  @Test func gridSurvivesAPNGRoundTripToByteAccuracy() throws {
    var generator = Xoshiro256StarStar(seed: 4)
    let atoms = Tensor.normal(shape: [7, 25], using: &generator)
    let grid = ImageGrid.image(tiles: atoms, size: 5)
    let decoded = try PNGFile.decode(PNGFile.encode(grid), file: "grid.png")
    #expect(decoded.width == grid.width && decoded.height == grid.height)
    #expect(zip(decoded.pixels, grid.pixels).allSatisfy { abs($0 - $1) <= 0.5 / 255 + 1e-6 })
  }
}
