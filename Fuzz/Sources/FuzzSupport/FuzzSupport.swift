import ACPITables
#if canImport(Glibc)
import Glibc
#endif

/// libFuzzer's driver entry point (in the fuzzer runtime linked by
/// -sanitize=fuzzer): runs the fuzzing loop with the given callback.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<Int32>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
) -> Int32

/// Runs libFuzzer with this process's arguments and exits with its status.
public func runFuzzer(_ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32) -> Never {
    var argc = CommandLine.argc
    var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
    exit(LLVMFuzzerRunDriver(&argc, &argv, callback))
}

/// One fuzz input: decode it as given and, when long enough, again with the
/// header length patched to the input size (so mutations of the structures
/// are not all stopped by the header check). Every decoded table is rendered
/// to JSON and text and checked for basic invariants; a violation traps.
public func fuzzOne<T: ACPIDecodedTable>(_ type: T.Type, _ data: UnsafePointer<UInt8>?, _ size: Int) {
    guard let data else { return }
    var bytes = Array(UnsafeBufferPointer(start: data, count: size))
    check(type, bytes)
    if bytes.count >= 8 {
        let n = UInt32(truncatingIfNeeded: bytes.count)
        for i in 0..<4 { bytes[4 + i] = UInt8(truncatingIfNeeded: n >> (8 * UInt32(i))) }
        check(type, bytes)
    }
}

func check<T: ACPIDecodedTable>(_ type: T.Type, _ bytes: [UInt8]) {
    do {
        let table = try T.decode(bytes)
        precondition(Int(table.header.length) <= bytes.count, "decoded a table longer than its input")
        precondition(table.header.checksumValid == T.verifyChecksum(bytes), "checksum validity disagrees")
        let json = table.jsonString(pretty: false)
        precondition(json.hasPrefix("{") && json.hasSuffix("}"), "JSON is not an object")
        precondition(!table.textDescription().isEmpty)
        for w in table.warnings { precondition(w.offset >= 0 && w.offset <= bytes.count, "warning offset out of range") }
    } catch let error as ACPIDecodeError {
        precondition(error.offset >= 0 && error.offset <= bytes.count, "error offset out of range: \(error)")
        precondition(!error.reason.isEmpty)
    } catch {
        preconditionFailure("unexpected error type: \(error)")
    }
}
