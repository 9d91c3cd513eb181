/// Why a support bundle could not be written, read or replayed.
public struct BundleError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
