// swift-tools-version:6.0
import PackageDescription

// libFuzzer targets for the ACPITables decoders. A separate package so that
// normal builds of the module never link the fuzzer. Build and run with
// ./run.sh (see README.md): it passes -sanitize=fuzzer,address.
let package = Package(
    name: "ACPITablesFuzz",
    dependencies: [
        .package(name: "sriov-preflight", path: "../"),
    ],
    targets: [
        .target(name: "FuzzSupport", dependencies: [.product(name: "ACPITables", package: "sriov-preflight")]),
        .executableTarget(name: "fuzz-dmar", dependencies: ["FuzzSupport"]),
        .executableTarget(name: "fuzz-ivrs", dependencies: ["FuzzSupport"]),
    ],
    swiftLanguageModes: [.v5]
)
