extension FixDefinition {
    static let udevRulesFile = "etc/udev/rules.d/70-sriov-preflight.rules"
    static let udevHeader = "# Written by sriov-preflight: VF counts restored at boot (sriov-preflight fix sriov-vfs --vfs PF=N)"

    /// The udev rule that sets a PF's VF count when the device appears.
    static func udevRule(_ address: String, _ n: Int) -> String {
        "ACTION==\"add\", SUBSYSTEM==\"pci\", KERNEL==\"\(address)\", ATTR{sriov_numvfs}=\"\(n)\""
    }

    static let sriovVFs = FixDefinition(id: .sriovVFs, title: "Set the number of VFs of a PF (--vfs PF=N)") { ctx in
        let s = ctx.snapshot
        guard !ctx.options.vfs.isEmpty else { return .notNeeded("give --vfs PF=N (PF by interface name or PCI address)") }
        do {
            let old = try ctx.current(udevRulesFile)
            var lines = UnifiedDiff.lines(old?.text ?? "")
            var actions: [RuntimeAction] = []
            var notes: [String] = []
            var answers: [String] = []
            for (pfName, n) in ctx.options.vfs {
                let address = s.net.interface(pfName)?.pciAddress ?? pfName
                guard let pf = s.pci.function(address), !pf.isVF else {
                    return .refused("\(pfName): no such PF (give an interface name or a PCI address like 0000:3b:00.0)")
                }
                let total = pf.totalVFs
                guard total > 0 else { return .refused("\(pfName) (\(address)) is not SR-IOV capable (TotalVFs 0)") }
                guard n >= 0 && n <= total else { return .refused("\(pfName) (\(address)): \(n) VFs requested but TotalVFs is \(total)") }
                let inUse = s.vfsInUse(pf)
                let current = pf.numVFs
                // Any new count goes through 0 (the kernel accepts a count only from 0): every VF is torn out.
                if !inUse.isEmpty && current != n {
                    let guests = Set(s.vfHolders(pf).map(\.label)).sorted()
                    let named = guests.isEmpty ? "" : " Running guests lose them: \(guests.joined(separator: ", ")); shut them down or detach the VFs first (virsh detach-device / virsh shutdown)."
                    if !ctx.options.force {
                        return .refused("\(pfName) (\(address)): \(inUse.count) VF(s) are in use (\(s.vfUsersText(pf))): changing the count from \(current) to \(n) goes through 0 VFs and would tear them out of their guests.\(named) Use --force to do it anyway")
                    }
                    notes.append("\(address): --force: \(inUse.count) VF(s) in use are torn out (\(s.vfUsersText(pf))).")
                }
                if pf.driver == nil && current != n && !ctx.options.force {
                    return .refused("\(pfName) (\(address)) has no driver bound: the kernel refuses a new sriov_numvfs until the PF driver is loaded (see sriov.pf-driver); load it first, or use --force to write the udev rule anyway")
                }
                let attr = "\(pf.path)/sriov_numvfs"
                if current != n {
                    // The kernel only accepts a new count from 0. Undo runs backwards: 0 again, then the old count.
                    if current != 0 { actions.append(.attribute(attr, "0", undo: "\(current)", "release the \(current) VF(s) of \(address)")) }
                    if n > 0 { actions.append(.attribute(attr, "\(n)", undo: "0", "enable \(n) VF(s) on \(address)")) }
                    if current > 0 && n == 0 { notes.append("\(address): SR-IOV restore — the PF goes back to 0 VFs.") }
                }
                lines.removeAll { $0.contains("KERNEL==\"\(address)\"") }
                if n > 0 { lines.append(udevRule(address, n)) }
                answers.append("sriov.vfs[\(address)]")
                if pf.driver == nil && current != n { notes.append("\(address) has no driver bound: the sriov_numvfs write fails until its PF driver is loaded.") }
            }
            let body = lines.filter { $0 != udevHeader && !$0.trimmingWhitespace().isEmpty }
            let newText = body.isEmpty ? nil : ([udevHeader] + body).joined(separator: "\n") + "\n"
            var files: [FileChange] = []
            if newText?.bytes != old { files.append(FileChange(path: udevRulesFile, old: old, new: newText?.bytes)) }
            var plan = FixPlan(fixID: .sriovVFs, title: "Set the number of VFs of a PF", answers: answers, files: files,
                               actions: actions, rebootRequired: false, notes: notes)
            if !ctx.isLive && !actions.isEmpty { plan.notes.append("The root is not the live host: sriov_numvfs is not written, only the udev rule.") }
            return plan.isEmpty ? .notNeeded("every PF already has the requested VF count") : .plan(plan)
        } catch {
            return .refused("\(error)")
        }
    }
}
