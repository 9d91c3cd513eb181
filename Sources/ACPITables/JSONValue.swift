@_exported import JSONKit

/// The decoders build their JSON with the project's one JSON value and writer.
typealias JSONValue = JSON
