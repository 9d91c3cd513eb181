/// Unified diffs of small text files (configuration files: hundreds of lines, not millions).
public enum UnifiedDiff {
    enum Op: Equatable { case same(String), del(String), add(String) }

    static func lines(_ text: String) -> [String] {
        if text.isEmpty { return [] }
        var l = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if l.last == "" { l.removeLast() }
        return l
    }

    /// Edit script by longest common subsequence.
    static func ops(_ a: [String], _ b: [String]) -> [Op] {
        let n = a.count, m = b.count
        var lcs = [[Int]](repeating: [Int](repeating: 0, count: m + 1), count: n + 1)
        if n > 0 && m > 0 {
            for i in stride(from: n - 1, through: 0, by: -1) {
                for j in stride(from: m - 1, through: 0, by: -1) {
                    lcs[i][j] = a[i] == b[j] ? lcs[i + 1][j + 1] + 1 : max(lcs[i + 1][j], lcs[i][j + 1])
                }
            }
        }
        var out: [Op] = []
        var i = 0, j = 0
        while i < n || j < m {
            if i < n && j < m && a[i] == b[j] { out.append(.same(a[i])); i += 1; j += 1 }
            else if i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1]) { out.append(.del(a[i])); i += 1 }
            else { out.append(.add(b[j])); j += 1 }
        }
        return out
    }

    /// The name unified diffs give the missing side of a created or deleted file: a label in the diff's
    /// text, never a path this tool opens.
    static let absentSide = "/dev/null"

    /// `--- a/PATH` / `+++ b/PATH` hunks with `context` lines around each change; "" when equal.
    public static func render(old: String?, new: String?, path: String, context: Int = 3) -> String {
        let a = lines(old ?? ""), b = lines(new ?? "")
        let script = ops(a, b)
        guard script.contains(where: { if case .same = $0 { return false }; return true }) else { return "" }
        var out = "--- \(old == nil ? absentSide : "a/" + path)\n+++ \(new == nil ? absentSide : "b/" + path)\n"
        // positions of each op in a and b
        var ai = [Int](), bi = [Int]()
        var x = 0, y = 0
        for op in script {
            ai.append(x); bi.append(y)
            switch op {
            case .same: x += 1; y += 1
            case .del: x += 1
            case .add: y += 1
            }
        }
        let changed = script.indices.filter { if case .same = script[$0] { return false }; return true }
        var k = 0
        while k < changed.count {
            var start = max(changed[k] - context, 0)
            var end = min(changed[k] + context, script.count - 1)
            var next = k + 1
            while next < changed.count && changed[next] - context <= end + 1 {
                end = min(changed[next] + context, script.count - 1)
                next += 1
            }
            start = max(start, 0)
            let hunk = script[start...end]
            let aCount = hunk.filter { if case .add = $0 { return false }; return true }.count
            let bCount = hunk.filter { if case .del = $0 { return false }; return true }.count
            let aStart = aCount == 0 ? ai[start] : ai[start] + 1
            let bStart = bCount == 0 ? bi[start] : bi[start] + 1
            out += "@@ -\(aStart),\(aCount) +\(bStart),\(bCount) @@\n"
            for op in hunk {
                switch op {
                case .same(let s): out += " \(s)\n"
                case .del(let s): out += "-\(s)\n"
                case .add(let s): out += "+\(s)\n"
                }
            }
            k = next
        }
        return out
    }
}
