/// The texts of the fixes' plans (notes, reasons, what an action does): English templates rendered where the
/// plan is made; `fix`'s text output translates a rendered text back through `FixStrings.translate`.
public struct FixStrings: Sendable {
    public static let ui = FixStrings()

    public let cmdlineNotAsked = Msg("no check asks for kernel arguments")
    public let cmdlineAlreadyRight = Msg("the boot configuration already has the right IOMMU arguments")
    public let cmdlineNeedsReboot = Msg("The boot configuration is already right; the host needs a reboot to use it.")
    public let cmdlineChanges = Msg("Changes the next boot's kernel arguments: {changes}. Reboot to apply.")
    public let cmdlineAdd = Msg("add {arg}")
    public let cmdlineRemove = Msg("remove {arg}")
    public let cmdlineGrubby = Msg("update every boot entry with grubby")
    public let cmdlineRegenerate = Msg("regenerate the boot loader configuration")
    public let cmdlineNoBootConfig = Msg("no boot configuration found (etc/default/grub, boot/loader/entries, grubby): add {args} by hand")
    public let unsafeGivesUp = Msg("This gives up interrupt isolation: a device assigned to a guest can then send interrupts (MSI writes) the host cannot tell from its own, so a malicious guest may inject interrupts into the host.")
    public let unsafeOnlyWhere = Msg("Only acceptable where the platform truly lacks interrupt remapping (see ir.supported); prefer enabling it in the BIOS.")
    public let unsafeSetNow = Msg("set the parameter of the loaded vfio_iommu_type1 now")
    public let unsafeNotLoaded = Msg("vfio_iommu_type1 is not loaded: the option takes effect when it loads.")
    public let unsafeClearNow = Msg("clear the parameter of the loaded vfio_iommu_type1 now")
    public let unsafeCmdline = Msg("The kernel command line also sets {param}: remove it from the boot configuration.")
    public let unsafeNothingSets = Msg("nothing sets the option in a file this tool can edit")
    public let vfioLoadNow = Msg("load vfio-pci now")
    public let vfioNotInstalled = Msg("vfio-pci is not installed for this kernel: install the kernel's extra modules package first (linux-modules-extra-$(uname -r) on Ubuntu).")
    public let vfsPlanTitle = Msg("Set the number of VFs of a PF")
    public let vfsGive = Msg("give --vfs PF=N (PF by interface name or PCI address)")
    public let vfsNoSuchPF = Msg("{pf}: no such PF (give an interface name or a PCI address like 0000:3b:00.0)")
    public let vfsNotCapable = Msg("{pf} ({address}) is not SR-IOV capable (TotalVFs 0)")
    public let vfsTooMany = Msg("{pf} ({address}): {count} VFs requested but TotalVFs is {total}")
    public let vfsInUse = Msg("{pf} ({address}): {count} VF(s) are in use ({users}): changing the count from {current} to {n} goes through 0 VFs and would tear them out of their guests. Use --force to do it anyway")
    public let vfsInUseGuests = Msg("{pf} ({address}): {count} VF(s) are in use ({users}): changing the count from {current} to {n} goes through 0 VFs and would tear them out of their guests. Running guests lose them: {guests}; shut them down or detach the VFs first (virsh detach-device / virsh shutdown). Use --force to do it anyway")
    public let vfsForced = Msg("{address}: --force: {count} VF(s) in use are torn out ({users}).")
    public let vfsNoDriver = Msg("{pf} ({address}) has no driver bound: the kernel refuses a new sriov_numvfs until the PF driver is loaded (see sriov.pf-driver); load it first, or use --force to write the udev rule anyway")
    public let vfsRelease = Msg("release the {count} VF(s) of {address}")
    public let vfsEnable = Msg("enable {count} VF(s) on {address}")
    public let vfsRestore = Msg("{address}: SR-IOV restore — the PF goes back to 0 VFs.")
    public let vfsNoDriverNote = Msg("{address} has no driver bound: the sriov_numvfs write fails until its PF driver is loaded.")
    public let vfsNotLive = Msg("The root is not the live host: sriov_numvfs is not written, only the udev rule.")
    public let vfsAlready = Msg("every PF already has the requested VF count")
    public let undo = Msg("undo")

    public var all: [Msg] { Mirror(reflecting: self).children.compactMap { $0.value as? Msg } }

    /// A text of a plan in the translator's language: the template it was rendered from is found again
    /// (its literal parts match, its placeholders take what lies between), translated and filled. The text
    /// itself when no template renders it.
    public static func translate(_ english: String, _ t: Translator) -> String {
        guard !t.isEnglish else { return english }
        for m in ui.all {
            if let params = MessageTemplate.match(m.id, english) { return t(m, params) }
        }
        return t.text(english)
    }
}

extension Msg {
    /// The English text with `params` filled in.
    public func render(_ params: [String: String] = [:]) -> String { MessageTemplate.render(id, params) }
}

extension MessageTemplate {
    /// The params that make `template` render `text`, nil when it cannot.
    public static func match(_ template: String, _ text: String) -> [String: String]? {
        // Literal pieces between placeholders: lits[0] {names[0]} lits[1] … {names[n-1]} lits[n].
        var lits: [String] = [], names: [String] = []
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            lits.append(String(rest[..<open]))
            names.append(String(rest[rest.index(after: open)..<close]))
            rest = rest[rest.index(after: close)...]
        }
        lits.append(String(rest))
        if names.isEmpty { return template == text ? [:] : nil }
        guard text.hasPrefix(lits[0]), text.hasSuffix(lits[names.count]),
              text.count >= lits[0].count + lits[names.count].count else { return nil }
        var params: [String: String] = [:]
        var pos = text.index(text.startIndex, offsetBy: lits[0].count)
        let end = text.index(text.endIndex, offsetBy: -lits[names.count].count)
        for (i, name) in names.enumerated() {
            let next = lits[i + 1]
            if i == names.count - 1 {
                guard pos <= end else { return nil }
                params[name] = String(text[pos..<end])
            } else {
                guard !next.isEmpty, pos <= end, let r = text[pos..<end].firstRange(of: next) else { return nil }
                params[name] = String(text[pos..<r.lowerBound])
                pos = r.upperBound
            }
        }
        return render(template, params) == text ? params : nil
    }
}
