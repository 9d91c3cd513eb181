import Foundation

/// Runs a system tool (tar, sha256sum) and collects its output.
enum Subprocess {
    struct Output {
        var status: Int32
        var stdout: Data
        var stderr: String
    }

    static func run(_ tool: String, _ arguments: [String], in directory: String? = nil) throws -> Output {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: locate(tool))
        p.arguments = arguments
        if let directory { p.currentDirectoryURL = URL(fileURLWithPath: directory) }
        var env = ProcessInfo.processInfo.environment
        env["LC_ALL"] = "C"
        p.environment = env
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        p.standardInput = FileHandle.nullDevice
        do {
            try p.run()
        } catch {
            throw BundleError("cannot run \(tool): \(error.localizedDescription)")
        }
        // Read both pipes concurrently so neither fills up and blocks the tool.
        nonisolated(unsafe) var errData = Data()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            errData = err.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        p.waitUntilExit()
        return Output(status: p.terminationStatus, stdout: outData, stderr: String(decoding: errData, as: UTF8.self))
    }

    static func locate(_ tool: String) -> String {
        for dir in ["/usr/bin", "/bin", "/usr/local/bin"] where FileManager.default.isExecutableFile(atPath: "\(dir)/\(tool)") {
            return "\(dir)/\(tool)"
        }
        return "/usr/bin/\(tool)"
    }
}
