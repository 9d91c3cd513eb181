import ACPITables
import FuzzSupport

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzIVRS(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    fuzzOne(IVRSTable.self, data, size)
    return 0
}

@main
struct FuzzIVRSMain {
    static func main() {
        runFuzzer(fuzzIVRS)
    }
}
