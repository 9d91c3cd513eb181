extension FixDefinition {
    static let udevRulesFile = "etc/udev/rules.d/70-sriov-preflight.rules"
    static let udevHeader = "# Written by sriov-preflight: VF counts restored at boot (sriov-preflight fix sriov-vfs --vfs PF=N)"

    /// The udev rule that sets a PF's VF count when the device appears.
    static func udevRule(_ address: String, _ n: Int) -> String {
        "ACTION==\"add\", SUBSYSTEM==\"pci\", KERNEL==\"\(address)\", ATTR{sriov_numvfs}=\"\(n)\""
    }

    static let sriovVFs = FixDefinition(id: .sriovVFs, title: "Set the number of VFs of a PF (--vfs PF=N)") { ctx in
        let s = ctx.snapshot
        guard !ctx.options.vfs.isEmpty else { return .notNeeded(FixStrings.ui.vfsGive.id) }
        do {
            let old = try ctx.current(udevRulesFile)
            var lines = UnifiedDiff.lines(old?.text ?? "")
            var actions: [RuntimeAction] = []
            var notes: [String] = []
            var answers: [String] = []
            for (pfName, n) in ctx.options.vfs {
                let address = s.net.interface(pfName)?.pciAddress ?? pfName
                guard let pf = s.pci.function(address), !pf.isVF else {
                    return .refused(FixStrings.ui.vfsNoSuchPF.render(["pf": pfName]))
                }
                let total = pf.totalVFs
                guard total > 0 else { return .refused(FixStrings.ui.vfsNotCapable.render(["pf": pfName, "address": address])) }
                guard n >= 0 && n <= total else { return .refused(FixStrings.ui.vfsTooMany.render(["pf": pfName, "address": address, "count": "\(n)", "total": "\(total)"])) }
                let inUse = s.vfsInUse(pf)
                let current = pf.numVFs
                // Any new count goes through 0 (the kernel accepts a count only from 0): every VF is torn out.
                if !inUse.isEmpty && current != n {
                    let guests = Set(s.vfHolders(pf).map(\.label)).sorted()
                    let p = ["pf": pfName, "address": address, "count": "\(inUse.count)", "users": s.vfUsersText(pf),
                             "current": "\(current)", "n": "\(n)", "guests": guests.joined(separator: ", ")]
                    if !ctx.options.force {
                        return .refused((guests.isEmpty ? FixStrings.ui.vfsInUse : FixStrings.ui.vfsInUseGuests).render(p))
                    }
                    notes.append(FixStrings.ui.vfsForced.render(p))
                }
                if pf.driver == nil && current != n && !ctx.options.force {
                    return .refused(FixStrings.ui.vfsNoDriver.render(["pf": pfName, "address": address]))
                }
                let attr = "\(pf.path)/sriov_numvfs"
                if current != n {
                    // The kernel only accepts a new count from 0. Undo runs backwards: 0 again, then the old count.
                    if current != 0 { actions.append(.attribute(attr, "0", undo: "\(current)", FixStrings.ui.vfsRelease.render(["count": "\(current)", "address": address]))) }
                    if n > 0 { actions.append(.attribute(attr, "\(n)", undo: "0", FixStrings.ui.vfsEnable.render(["count": "\(n)", "address": address]))) }
                    if current > 0 && n == 0 { notes.append(FixStrings.ui.vfsRestore.render(["address": address])) }
                }
                lines.removeAll { $0.contains("KERNEL==\"\(address)\"") }
                if n > 0 { lines.append(udevRule(address, n)) }
                answers.append("sriov.vfs[\(address)]")
                if pf.driver == nil && current != n { notes.append(FixStrings.ui.vfsNoDriverNote.render(["address": address])) }
            }
            let body = lines.filter { $0 != udevHeader && !$0.trimmingWhitespace().isEmpty }
            let newText = body.isEmpty ? nil : ([udevHeader] + body).joined(separator: "\n") + "\n"
            var files: [FileChange] = []
            if newText?.bytes != old { files.append(FileChange(path: udevRulesFile, old: old, new: newText?.bytes)) }
            var plan = FixPlan(fixID: .sriovVFs, title: FixStrings.ui.vfsPlanTitle.id, answers: answers, files: files,
                               actions: actions, rebootRequired: false, notes: notes)
            if !ctx.isLive && !actions.isEmpty { plan.notes.append(FixStrings.ui.vfsNotLive.id) }
            return plan.isEmpty ? .notNeeded(FixStrings.ui.vfsAlready.id) : .plan(plan)
        } catch {
            return .refused("\(error)")
        }
    }
}
