// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "sriov-preflight",
    products: [
        .executable(name: "sriov-preflight", targets: ["sriov-preflight"]),
        .library(name: "SRIOVPreflight", targets: ["SRIOVPreflight"]),
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
        .target(
            name: "SRIOVPreflight",
            dependencies: ["CLibXML2", "CHostShim"]
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
            dependencies: ["SRIOVPreflight"]
        ),
        .testTarget(
            name: "SRIOVPreflightTests",
            dependencies: ["SRIOVPreflight", "CLibXML2"]
        ),
    ],
    swiftLanguageModes: [.v5]
)
