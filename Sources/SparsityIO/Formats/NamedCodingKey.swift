// A coding key for object members whose names are known only at run time.

/// A coding key of any name, for objects whose members are not fixed by the type: settings
/// written as `{"epochs": "10", "learning_rate": "0.01", ...}`, in the order they are encoded.
public struct NamedCodingKey: CodingKey, Hashable, Sendable {
  /// The member's name.
  public var stringValue: String
  /// Always nil: these keys name object members, never array positions.
  public var intValue: Int? { nil }

  /// The key named `name`.
  public init(_ name: String) { stringValue = name }

  /// The key named `stringValue`.
  public init?(stringValue: String) { self.stringValue = stringValue }

  /// Always nil: these keys have no integer form.
  public init?(intValue: Int) { nil }
}
