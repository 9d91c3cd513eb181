import JSONKit

/// `files_read` rows (ten thousand on a big host) written straight to JSON text: the fields of
/// `FileRead.encode(to:)`, null where it writes null, `file_size` only for a read that was cut.
extension FileRead: JSONRow {
    public func jsonFields(_ f: inout JSONRowFields) {
        f.string(CodingKeys.path.stringValue, path)
        f.string(CodingKeys.kind.stringValue, kind.rawValue)
        f.int(CodingKeys.size.stringValue, size)
        f.string(CodingKeys.sha256.stringValue, sha256)
        f.string(CodingKeys.target.stringValue, target)
        f.string(CodingKeys.error.stringValue, error)
        if let fileSize { f.int(CodingKeys.fileSize.stringValue, fileSize) }
    }
}
