extension FixDefinition {
    static let unsafeInterruptsFile = "etc/modprobe.d/iommu_unsafe_interrupts.conf"
    static let unsafeParam = "sys/module/vfio_iommu_type1/parameters/allow_unsafe_interrupts"
    static let unsafeLine = "options vfio_iommu_type1 allow_unsafe_interrupts=1"

    /// Sets `key=value` for `module` in a modprobe.d file's text, keeping every other line and option.
    static func settingOption(_ text: String, module: String, key: String, value: String) -> String {
        var lines = UnifiedDiff.lines(text)
        var done = false
        for i in lines.indices {
            var words = lines[i].split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            guard words.count >= 2, words[0] == "options", ModuleFacts.normalize(words[1]) == ModuleFacts.normalize(module) else { continue }
            if let k = words.firstIndex(where: { $0.hasPrefix(key + "=") || $0 == key }) {
                words[k] = "\(key)=\(value)"
                lines[i] = words.joined(separator: " ")
                done = true
            }
        }
        if !done { lines.append("options \(module) \(key)=\(value)") }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Removes `key` from `module`'s options lines; lines left with no option go.
    static func removingOption(_ text: String, module: String, key: String) -> String {
        var out: [String] = []
        for line in UnifiedDiff.lines(text) {
            let words = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            guard words.count >= 2, words[0] == "options", ModuleFacts.normalize(words[1]) == ModuleFacts.normalize(module) else {
                out.append(line)
                continue
            }
            let kept = words.filter { !($0.hasPrefix(key + "=") || $0 == key) }
            if kept.count > 2 { out.append(kept.joined(separator: " ")) }
        }
        return out.isEmpty ? "" : out.joined(separator: "\n") + "\n"
    }

    /// True when nothing but comments and blank lines remain.
    static func isBlank(_ text: String) -> Bool {
        UnifiedDiff.lines(text).allSatisfy { $0.trimmingWhitespace().isEmpty || $0.trimmingWhitespace().hasPrefix("#") }
    }

    static let unsafeInterrupts = FixDefinition(id: .unsafeInterrupts,
                                                 title: "Let vfio accept devices without interrupt remapping") { ctx in
        let asking = ctx.asking(.unsafeInterrupts).filter { $0.checkID == .irUnsafeInterrupts }
        guard !asking.isEmpty else {
            return .notNeeded(ctx.standing(.irUnsafeInterrupts))
        }
        do {
            let old = try ctx.current(unsafeInterruptsFile)
            let new = settingOption(old?.text ?? "", module: "vfio_iommu_type1", key: "allow_unsafe_interrupts", value: "1")
            var plan = FixPlan(fixID: .unsafeInterrupts, title: "Let vfio accept devices without interrupt remapping",
                               answers: asking.map { "\($0.id)[\($0.object)]" },
                               files: [FileChange(path: unsafeInterruptsFile, old: old, new: new.bytes)],
                               actions: [], rebootRequired: false, requiredFlag: "--accept-unsafe-interrupts")
            plan.notes = [
                FixStrings.ui.unsafeGivesUp.id,
                FixStrings.ui.unsafeOnlyWhere.id,
            ]
            let loaded = ctx.snapshot.modules.parameters[UnsafeInterrupts.param]?.value
            if loaded != nil {
                plan.actions.append(.attribute(unsafeParam, "Y", undo: loaded, FixStrings.ui.unsafeSetNow.id))
            } else {
                plan.notes.append(FixStrings.ui.unsafeNotLoaded.id)
            }
            return .plan(plan)
        } catch {
            return .refused("\(error)")
        }
    }

    static let unsafeInterruptsOff = FixDefinition(id: .unsafeInterruptsOff,
                                                    title: "Remove allow_unsafe_interrupts where interrupt remapping works") { ctx in
        let asking = ctx.asking(.unsafeInterruptsOff)
        guard !asking.isEmpty else { return .notNeeded(ctx.standing(.irUnsafeInterrupts)) }
        do {
            var files: [FileChange] = []
            let locations = Set(ctx.snapshot.modules.modprobeOptions
                .filter { $0.module == "vfio_iommu_type1" && $0.key == "allow_unsafe_interrupts" }.map(\.file))
            for path in locations.sorted() {
                guard let old = try ctx.current(path) else { continue }
                let new = removingOption(old.text, module: "vfio_iommu_type1", key: "allow_unsafe_interrupts")
                files.append(FileChange(path: path, old: old, new: isBlank(new) ? nil : new.bytes))
            }
            var plan = FixPlan(fixID: .unsafeInterruptsOff, title: "Remove allow_unsafe_interrupts where interrupt remapping works",
                               answers: asking.map { "\($0.id)[\($0.object)]" }, files: files, actions: [], rebootRequired: false)
            if let v = ctx.snapshot.modules.parameters[UnsafeInterrupts.param]?.value, parameterIsTrue(v) == true {
                plan.actions.append(.attribute(unsafeParam, "N", undo: v, FixStrings.ui.unsafeClearNow.id))
            }
            if ctx.snapshot.system.cmdline.value?.value(UnsafeInterrupts.param) != nil {
                plan.notes.append(FixStrings.ui.unsafeCmdline.render(["param": UnsafeInterrupts.param]))
            }
            return plan.isEmpty ? .notNeeded(FixStrings.ui.unsafeNothingSets.id) : .plan(plan)
        } catch {
            return .refused("\(error)")
        }
    }

    static let vfioModulesFile = "etc/modules-load.d/vfio-pci.conf"

    static let vfioModules = FixDefinition(id: .vfioModules, title: "Load vfio-pci now and at every boot") { ctx in
        let asking = ctx.asking(.vfioModules)
        guard !asking.isEmpty else { return .notNeeded(ctx.standing(.vfioModules)) }
        do {
            var files: [FileChange] = []
            let old = try ctx.current(vfioModulesFile)
            let want = "# Written by sriov-preflight: load vfio-pci (and its IOMMU backend) at boot\nvfio-pci\nvfio_iommu_type1\n"
            if old?.text != want { files.append(FileChange(path: vfioModulesFile, old: old, new: want.bytes)) }
            for b in ctx.snapshot.modules.blacklisted where ["vfio", "vfio_pci", "vfio_iommu_type1"].contains(b.module) {
                guard let text = try ctx.current(b.file) else { continue }
                let kept = UnifiedDiff.lines(text.text).filter {
                    let w = $0.split(separator: " ").map(String.init)
                    return !(w.count >= 2 && w[0] == "blacklist" && ModuleFacts.normalize(w[1]) == b.module)
                }
                let new = kept.isEmpty ? "" : kept.joined(separator: "\n") + "\n"
                files.append(FileChange(path: b.file, old: text, new: isBlank(new) ? nil : new.bytes))
            }
            var plan = FixPlan(fixID: .vfioModules, title: "Load vfio-pci now and at every boot",
                               answers: asking.map { "\($0.id)[\($0.object)]" }, files: files,
                               actions: [.command(["modprobe", "vfio-pci"], undo: nil, FixStrings.ui.vfioLoadNow.id)], rebootRequired: false)
            if ctx.snapshot.modules.state("vfio_pci") == nil {
                plan.notes.append(FixStrings.ui.vfioNotInstalled.id)
            }
            return .plan(plan)
        } catch {
            return .refused("\(error)")
        }
    }
}
