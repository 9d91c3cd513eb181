import Foundation
import PCIAccess

/// A throw-away `.../sys/bus/pci` tree in a temp directory, built from records,
/// with what libpci's sysfs method and `lspci -A linux-sysfs -vvv` read:
/// devices/<addr>/{vendor,device,class,revision,subsystem_*,irq,resource,config}
/// and a `driver` symlink whose target exists.
final class SyntheticSysfsTree {
    struct Options {
        /// Write only this many config bytes (64 mimics a non-root reader).
        var configLimit: Int?
        /// Leave out these attribute files.
        var omit: Set<String> = []
        var driver: String? = "pcistub"
    }

    let root: URL
    /// The `sysfs.path` value: <root>/sys/bus/pci.
    var path: String { root.appendingPathComponent("sys/bus/pci").path }

    init(records: [PCIFunctionRecord], options: Options = Options()) throws {
        root = Scratch.url("pci-sysfs")
        let bus = root.appendingPathComponent("sys/bus/pci")
        let fileManager = FileManager.default
        try fileManager.createDirectory(at: bus.appendingPathComponent("devices"), withIntermediateDirectories: true)
        if let driver = options.driver {
            try fileManager.createDirectory(at: bus.appendingPathComponent("drivers/\(driver)"), withIntermediateDirectories: true)
        }
        for record in records {
            let directory = bus.appendingPathComponent("devices/\(record.address)")
            try fileManager.createDirectory(at: directory, withIntermediateDirectories: true)
            let zeroResource = String(repeating: "0x0000000000000000 0x0000000000000000 0x0000000000000000\n", count: 7)
            let attributes: [(String, String)] = [
                ("vendor", String(format: "0x%04x\n", record.vendorID)),
                ("device", String(format: "0x%04x\n", record.deviceID)),
                ("class", String(format: "0x%06x\n", record.classCode)),
                ("revision", String(format: "0x%02x\n", record.revision)),
                ("subsystem_vendor", String(format: "0x%04x\n", record.subsystemVendorID)),
                ("subsystem_device", String(format: "0x%04x\n", record.subsystemID)),
                ("irq", "0\n"),
                ("resource", zeroResource),
            ]
            for (name, text) in attributes where !options.omit.contains(name) {
                try Data(text.utf8).write(to: directory.appendingPathComponent(name))
            }
            if !options.omit.contains("config") {
                let config = options.configLimit.map { Array(record.config.prefix($0)) } ?? record.config
                try Data(config).write(to: directory.appendingPathComponent("config"))
            }
            if let driver = options.driver {
                try fileManager.createSymbolicLink(atPath: directory.appendingPathComponent("driver").path,
                                                   withDestinationPath: "../../drivers/\(driver)")
            }
        }
    }

    /// A tree from a captured host root (shared/hosts/<host>), whose sysfs symlinks are real symlinks or
    /// were flattened into small files holding the link text (both are read, as HostRoot reads them): each
    /// bus/pci/devices/<addr> entry is resolved to its device directory, whose kernel-written attribute
    /// files are copied; `driver` becomes a symlink to an existing directory.
    init(capturedHost host: URL) throws {
        root = Scratch.url("pci-sysfs")
        let fileManager = FileManager.default
        let bus = root.appendingPathComponent("sys/bus/pci")
        let capturedDevices = host.appendingPathComponent("sys/bus/pci/devices")
        for entry in SharedData.files(in: capturedDevices) {
            guard let link = SharedData.linkTarget(entry) else {
                throw CocoaError(.fileReadCorruptFile, userInfo: [NSFilePathErrorKey: entry.path])
            }
            // An absolute target names a path of the captured host: below `host`, never the machine's own.
            let source = (link.hasPrefix("/") ? host.appendingPathComponent(String(link.dropFirst()))
                                              : capturedDevices.appendingPathComponent(link)).standardizedFileURL
            let directory = bus.appendingPathComponent("devices/\(entry.lastPathComponent)")
            try fileManager.createDirectory(at: directory, withIntermediateDirectories: true)
            for name in ["vendor", "device", "class", "revision", "subsystem_vendor", "subsystem_device", "irq", "resource", "config"] {
                let file = source.appendingPathComponent(name)
                if fileManager.fileExists(atPath: file.path) {
                    try fileManager.copyItem(at: file, to: directory.appendingPathComponent(name))
                }
            }
            if let target = SharedData.linkTarget(source.appendingPathComponent("driver")) {
                let driver = URL(fileURLWithPath: target).lastPathComponent
                try fileManager.createDirectory(at: bus.appendingPathComponent("drivers/\(driver)"), withIntermediateDirectories: true)
                try fileManager.createSymbolicLink(atPath: directory.appendingPathComponent("driver").path,
                                                   withDestinationPath: "../../drivers/\(driver)")
            }
        }
    }

    deinit {
        try? FileManager.default.removeItem(at: root)
    }
}

/// Runs a command and returns its standard output (nil when it cannot start).
func runCommand(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: String)? {
    guard FileManager.default.isExecutableFile(atPath: executable) else { return nil }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    let output = Pipe()
    process.standardOutput = output
    process.standardError = FileHandle.nullDevice
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}

enum Lspci {
    static let path = ["/usr/bin/lspci", "/usr/sbin/lspci", "/bin/lspci", "/sbin/lspci"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }

    static var isAvailable: Bool { path != nil }

    /// `lspci -A linux-sysfs -O sysfs.path=<path> -vvv`, parsed.
    static func sysfsReference(path sysfsPath: String) throws -> LspciReference? {
        guard let path, let result = try runCommand(path, ["-A", "linux-sysfs", "-O", "sysfs.path=\(sysfsPath)", "-vvv"]),
              result.status == 0 else { return nil }
        return LspciReference(text: result.output)
    }
}
