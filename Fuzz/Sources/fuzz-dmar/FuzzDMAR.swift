import ACPITables
import FuzzSupport

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDMAR(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    fuzzOne(DMARTable.self, data, size)
    return 0
}

@main
struct FuzzDMARMain {
    static func main() {
        runFuzzer(fuzzDMAR)
    }
}
