// The bytes a piece of work will allocate, summed from the sizes of its arrays with overflow
// checks, so that an absurd option is refused before anything is allocated.

/// The bytes a piece of work needs, added up from its largest arrays.
///
/// Every product and sum is overflow-checked: a size past `Int.max` makes the estimate
/// `overflowed`, which fits no machine. Build one from the shapes the work will allocate:
///
/// ```swift
/// let need = MemoryEstimate.floats(atoms, features) + .floats(atoms, atoms) * 2
/// try MemoryBudget.check(need, for: "--atoms \(atoms)")
/// ```
public struct MemoryEstimate: Equatable, Sendable, CustomStringConvertible {
  /// The bytes, nil when the count overflowed `Int`.
  public let bytes: Int?

  /// An estimate of exactly `bytes` bytes (nil: more than `Int.max`).
  public init(bytes: Int?) {
    self.bytes = bytes.map { Swift.max(0, $0) }
  }

  /// Nothing.
  public static let zero = MemoryEstimate(bytes: 0)

  /// True when the count overflowed `Int`.
  public var overflowed: Bool { bytes == nil }

  /// An array of `dimensions` elements of `elementBytes` bytes each (its product, checked).
  public static func elements(_ dimensions: [Int], bytes elementBytes: Int) -> MemoryEstimate {
    var total = elementBytes
    for dimension in dimensions {
      let (product, overflow) = total.multipliedReportingOverflow(by: Swift.max(0, dimension))
      if overflow { return MemoryEstimate(bytes: nil) }
      total = product
    }
    return MemoryEstimate(bytes: total)
  }

  /// A Float32 array of the given shape.
  public static func floats(_ dimensions: Int...) -> MemoryEstimate { elements(dimensions, bytes: 4) }

  /// A byte array of the given shape.
  public static func bytes(_ dimensions: Int...) -> MemoryEstimate { elements(dimensions, bytes: 1) }

  /// The sum of two estimates.
  public static func + (lhs: MemoryEstimate, rhs: MemoryEstimate) -> MemoryEstimate {
    guard let a = lhs.bytes, let b = rhs.bytes else { return MemoryEstimate(bytes: nil) }
    let (sum, overflow) = a.addingReportingOverflow(b)
    return MemoryEstimate(bytes: overflow ? nil : sum)
  }

  /// Adds `rhs` to `lhs`.
  public static func += (lhs: inout MemoryEstimate, rhs: MemoryEstimate) { lhs = lhs + rhs }

  /// `copies` copies of `estimate`.
  public static func * (estimate: MemoryEstimate, copies: Int) -> MemoryEstimate {
    guard let bytes = estimate.bytes else { return estimate }
    let (product, overflow) = bytes.multipliedReportingOverflow(by: Swift.max(0, copies))
    return MemoryEstimate(bytes: overflow ? nil : product)
  }

  /// `1.50 GiB`, or `more than 8 EiB` when the count overflowed.
  public var description: String {
    guard let bytes else { return "more than 8 EiB" }
    return Self.describe(bytes: bytes)
  }

  /// A byte count in binary units with three significant digits: `512 B`, `12.5 KiB`, `3.00 GiB`.
  public static func describe(bytes: Int) -> String {
    let units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"]
    var value = Double(bytes)
    var unit = 0
    while value >= 1024 && unit < units.count - 1 {
      value /= 1024
      unit += 1
    }
    if unit == 0 { return "\(bytes) B" }
    let digits = value >= 100 ? 0 : value >= 10 ? 1 : 2
    let scale = [1.0, 10.0, 100.0][digits]
    let rounded = (value * scale).rounded() / scale
    var text = digits == 0 ? String(Int(rounded)) : String(rounded)
    if let point = text.firstIndex(of: ".") {
      let decimals = text.distance(from: point, to: text.endIndex) - 1
      text += String(repeating: "0", count: Swift.max(0, digits - decimals))
    }
    return "\(text) \(units[unit])"
  }
}
