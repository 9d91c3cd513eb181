extension FixDefinition {

    /// (add, remove) for the boot configuration of this host.
    static func cmdlineEdits(_ s: HostSnapshot, configured: KernelCmdline) -> (add: [String], remove: [String]) {
        var add: [String] = []
        let remove = configured.tokens.filter { KernelCmdline.harmfulArguments.contains($0) }
        let hasTable = s.firmware.dmar.present || s.firmware.ivrs.present
        if s.intelIOMMUDefault.needsIntelIOMMUOn(configured) {
            add.append("intel_iommu=on")
        }
        if hasTable && configured.value("iommu") != "pt" && configured.value("iommu.passthrough") != "1" {
            add.append("iommu=pt")
        }
        return (add, remove)
    }

    /// Rewrites `KEY="…"` in a shell-style file: adds and removes tokens, keeps every other line.
    static func editingAssignment(_ text: String, key: String, add: [String], remove: [String]) -> String {
        var lines = UnifiedDiff.lines(text)
        guard let i = lines.lastIndex(where: { $0.trimmingWhitespace().hasPrefix(key + "=") }) else {
            return add.isEmpty ? text : (lines + ["\(key)=\"\(add.joined(separator: " "))\""]).joined(separator: "\n") + "\n"
        }
        let line = lines[i]
        let eq = line.firstIndex(of: "=")!
        let prefix = line[..<line.index(after: eq)]
        var value = String(line[line.index(after: eq)...]).trimmingWhitespace()
        var quote = "\""
        if let f = value.first, f == "\"" || f == "'", value.count >= 2, value.last == f {
            quote = String(f)
            value = String(value.dropFirst().dropLast())
        }
        var tokens = value.split(separator: " ").map(String.init).filter { !remove.contains($0) }
        for a in add where !tokens.contains(a) { tokens.append(a) }
        lines[i] = "\(prefix)\(quote)\(tokens.joined(separator: " "))\(quote)"
        return lines.joined(separator: "\n") + "\n"
    }

    /// Rewrites the `options` line of a BLS entry.
    static func editingBLSOptions(_ text: String, add: [String], remove: [String]) -> String {
        UnifiedDiff.lines(text).map { line -> String in
            guard line.hasPrefix("options ") else { return line }
            var tokens = line.dropFirst(8).split(separator: " ").map(String.init).filter { !remove.contains($0) }
            for a in add where !tokens.contains(a) { tokens.append(a) }
            return "options " + tokens.joined(separator: " ")
        }.joined(separator: "\n") + "\n"
    }

    static let iommuCmdline = FixDefinition(id: .iommuCmdline, title: "Kernel arguments for the IOMMU") { ctx in
        let s = ctx.snapshot
        let asking = ctx.asking(.iommuCmdline)
        guard !asking.isEmpty else { return .notNeeded(FixStrings.ui.cmdlineNotAsked.id) }
        let configured = s.boot.configured
        let (add, remove) = cmdlineEdits(s, configured: configured)
        var plan = FixPlan(fixID: .iommuCmdline, title: "Kernel arguments for the IOMMU",
                           answers: asking.map { "\($0.id)[\($0.object)]" }, files: [], actions: [], rebootRequired: true)
        if add.isEmpty && remove.isEmpty {
            if s.iommu.active || configured.iommuTokens == s.system.cmdline.value?.iommuTokens {
                return .notNeeded(FixStrings.ui.cmdlineAlreadyRight.id)
            }
            plan.notes.append(FixStrings.ui.cmdlineNeedsReboot.id)
            return .plan(plan)
        }
        let what = (add.map { FixStrings.ui.cmdlineAdd.render(["arg": $0]) } + remove.map { FixStrings.ui.cmdlineRemove.render(["arg": $0]) })
        plan.notes.append(FixStrings.ui.cmdlineChanges.render(["changes": what.joined(separator: ", ")]))
        do {
            if ctx.isLive && s.boot.hasGrubby {
                var argv = ["grubby", "--update-kernel=ALL"]
                if !add.isEmpty { argv.append("--args=\(add.joined(separator: " "))") }
                if !remove.isEmpty { argv.append("--remove-args=\(remove.joined(separator: " "))") }
                var undo = ["grubby", "--update-kernel=ALL"]
                if !remove.isEmpty { undo.append("--args=\(remove.joined(separator: " "))") }
                if !add.isEmpty { undo.append("--remove-args=\(add.joined(separator: " "))") }
                plan.actions.append(.command(argv, undo: undo, FixStrings.ui.cmdlineGrubby.id))
                return .plan(plan)
            }
            if let grub = try ctx.current("etc/default/grub") {
                var text = editingAssignment(grub.text, key: "GRUB_CMDLINE_LINUX", add: add, remove: remove)
                if s.boot.sources.contains(where: { $0.key == "GRUB_CMDLINE_LINUX_DEFAULT" }) {
                    text = editingAssignment(text, key: "GRUB_CMDLINE_LINUX_DEFAULT", add: [], remove: remove)
                }
                plan.files.append(FileChange(path: "etc/default/grub", old: grub, new: text.bytes))
                let debian = (try ctx.current("etc/debian_version")) != nil
                let regen = debian ? ["update-grub"] : ["grub2-mkconfig", "-o", "/boot/grub2/grub.cfg"]
                plan.actions.append(.command(regen, undo: regen, FixStrings.ui.cmdlineRegenerate.id))
                return .plan(plan)
            }
            if let entry = s.boot.sources.first(where: { $0.key == "options" }), let old = try ctx.current(entry.file) {
                let restored = editingBLSOptions(old.text, add: add, remove: remove)
                plan.files.append(FileChange(path: entry.file, old: old, new: restored.bytes))
                return .plan(plan)
            }
            return .refused(FixStrings.ui.cmdlineNoBootConfig.render(["args": add.joined(separator: " ")]))
        } catch {
            return .refused("\(error)")
        }
    }
}
