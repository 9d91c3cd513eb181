@_exported import JSONKit
