#if canImport(Glibc)
import Glibc
#endif
import CHostShim

/// Runs a system tool (tar, gzip for bundles; modprobe, grubby, update-grub for fixes) and collects or
/// streams its output: the one way the project starts a program.
///
/// The tool runs in our process group and dies with the thread that started it (PR_SET_PDEATHSIG);
/// past `timeout` seconds, or when the consumer of its output stops, it is killed (SIGKILL) and reaped.
enum Subprocess {
    struct Output {
        var status: Int32
        var stdout: [UInt8]
        var stderr: String
    }

    /// Why the consumer stopped reading: the tool is killed and this error is thrown.
    struct Stop: Error {
        var error: Error
    }

    static func run(_ tool: String, _ arguments: [String], timeout: Double = 600) throws -> Output {
        var out: [UInt8] = []
        let r = try stream(tool, arguments, timeout: timeout) { chunk in
            out.append(contentsOf: chunk)
            if out.count > 64 << 20 { throw BundleError(ErrorStrings.ui.toolTooMuchOutput.render(["tool": tool])) }
        }
        return Output(status: r.status, stdout: out, stderr: r.stderr)
    }

    /// Runs `tool`, handing each piece of its standard output to `consume` as it comes. `stdin` is a
    /// descriptor the tool reads (default: an empty pipe, end of input at once). A `consume` that throws
    /// stops and kills the tool.
    static func stream(_ tool: String, _ arguments: [String], stdin: Int32 = -1, timeout: Double,
                       consume: (UnsafeRawBufferPointer) throws -> Void) throws -> (status: Int32, stderr: String) {
        let path = locate(tool)
        guard access(path, X_OK) == 0 else { throw BundleError(ErrorStrings.ui.toolCannotRun.render(["tool": tool, "problem": errnoText()])) }
        var outPipe: [Int32] = [-1, -1], errPipe: [Int32] = [-1, -1]
        guard spf_pipe_cloexec(&outPipe) == 0 else { throw BundleError(ErrorStrings.ui.toolCannotRun.render(["tool": tool, "problem": errnoText()])) }
        guard spf_pipe_cloexec(&errPipe) == 0 else {
            close(outPipe[0]); close(outPipe[1])
            throw BundleError(ErrorStrings.ui.toolCannotRun.render(["tool": tool, "problem": errnoText()]))
        }
        var input = stdin
        var emptyInput: Int32 = -1
        if input < 0 {
            var inPipe: [Int32] = [-1, -1]
            if spf_pipe_cloexec(&inPipe) == 0 {
                close(inPipe[1])
                emptyInput = inPipe[0]
                input = emptyInput
            }
        }
        let env = ["LC_ALL=C", "PATH=" + searchPath.joined(separator: ":")]
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        let envp = env.map { strdup($0) } + [nil]
        let pid = argv.withUnsafeBufferPointer { a in
            envp.withUnsafeBufferPointer { e in
                spf_spawn(path, a.baseAddress, e.baseAddress, input, outPipe[1], errPipe[1])
            }
        }
        let spawnErrno = errno
        for p in argv { free(p) }
        for p in envp { free(p) }
        close(outPipe[1]); close(errPipe[1])
        if emptyInput >= 0 { close(emptyInput) }
        guard pid > 0 else {
            close(outPipe[0]); close(errPipe[0])
            throw BundleError(ErrorStrings.ui.toolCannotRun.render(["tool": tool, "problem": CError.text(spawnErrno)]))
        }
        var stderrBytes: [UInt8] = []
        var failure: Error?
        let deadline = monotonic() + timeout
        var fds = [pollfd(fd: outPipe[0], events: Int16(POLLIN), revents: 0),
                   pollfd(fd: errPipe[0], events: Int16(POLLIN), revents: 0)]
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        var open = 2
        loop: while open > 0 {
            let left = deadline - monotonic()
            if left <= 0 {
                failure = BundleError(ErrorStrings.ui.toolTimeout.render(["tool": tool, "seconds": String(Int(timeout))]))
                break
            }
            let n = poll(&fds, nfds_t(fds.count), Int32(min(left, 1) * 1000) + 1)
            if n < 0 {
                if errno == EINTR { continue }
                failure = BundleError(ErrorStrings.ui.toolPoll.render(["tool": tool, "problem": errnoText()])); break
            }
            for i in 0..<fds.count where fds[i].fd >= 0 && fds[i].revents != 0 {
                let got = buffer.withUnsafeMutableBytes { read(fds[i].fd, $0.baseAddress, $0.count) }
                if got < 0 && (errno == EINTR || errno == EAGAIN) { continue }
                if got <= 0 {
                    close(fds[i].fd); fds[i].fd = -1; open -= 1
                    continue
                }
                if i == 0 {
                    do {
                        try buffer.withUnsafeBytes { try consume(UnsafeRawBufferPointer(rebasing: $0[0..<got])) }
                    } catch {
                        failure = error
                        break loop
                    }
                } else if stderrBytes.count < 64 << 10 {
                    stderrBytes.append(contentsOf: buffer[0..<got])
                }
            }
        }
        if failure != nil { kill(pid, SIGKILL) }
        for f in fds where f.fd >= 0 { close(f.fd) }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        if let failure { throw failure }
        let code: Int32 = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return (code, String(decoding: stderrBytes, as: UTF8.self))
    }

    static func monotonic() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    static func errnoText() -> String { CError.text(errno) }

    /// Where tools are looked up (and the PATH they run with): system tools only, sbin included for the
    /// fixes' modprobe, grubby, update-grub and grub2-mkconfig.
    static let searchPath = ["/usr/sbin", "/usr/bin", "/sbin", "/bin", "/usr/local/sbin", "/usr/local/bin"]

    static func locate(_ tool: String) -> String {
        if tool.hasPrefix("/") { return tool }
        for dir in searchPath where access("\(dir)/\(tool)", X_OK) == 0 {
            return "\(dir)/\(tool)"
        }
        return "/usr/bin/\(tool)"
    }
}
