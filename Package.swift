// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "sriov-preflight",
    products: [
        .executable(name: "sriov-preflight", targets: ["sriov-preflight"]),
        .library(name: "SRIOVPreflight", targets: ["SRIOVPreflight"]),
        .library(name: "PCIAccess", targets: ["PCIAccess"]),
        .library(name: "ACPITables", targets: ["ACPITables"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"])]
        ),
        .target(name: "CHostShim"),
        // The one JSON writer and parser (and Codable to and from it), shared by every module.
        .target(name: "JSONKit"),
        // Pure-Swift ACPI DMAR / IVRS decoders (fuzzed by the Fuzz/ package).
        .target(name: "ACPITables", dependencies: ["JSONKit"]),
        // libpci behind setjmp guards: its public header exposes only plain C types.
        .target(
            name: "CPCIShim",
            linkerSettings: [.linkedLibrary("pci")]
        ),
        .target(
            name: "PCIAccess",
            dependencies: ["CPCIShim"]
        ),
        .target(
            name: "SRIOVPreflight",
            dependencies: ["CLibXML2", "CHostShim", "PCIAccess", "ACPITables", "JSONKit"]
        ),
        .executableTarget(
            name: "sriov-preflight",
            dependencies: [
                "SRIOVPreflight",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "sriov-preflight-bench",
            dependencies: ["SRIOVPreflight", "ACPITables", "PCIAccess"]
        ),
        .testTarget(
            name: "ACPITablesTests",
            dependencies: ["ACPITables"]
        ),
        .testTarget(
            name: "PCIAccessTests",
            dependencies: ["PCIAccess"]
        ),
        .testTarget(
            name: "SRIOVPreflightTests",
            dependencies: ["SRIOVPreflight", "CLibXML2"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
