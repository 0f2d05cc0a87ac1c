using OneKvm.Libvirt.Runtime;

namespace OneKvm.Driver;

/// <summary>
/// <c>onekvm-driver --help</c>, <c>--version</c>, <c>help ACTION</c> and <c>ACTION … --help</c>: answered
/// before any action runs (an action given <c>--help</c> never touches libvirt).
/// </summary>
public static class DriverHelp
{
    private static readonly Dictionary<string, string> Summaries = new(StringComparer.Ordinal)
    {
        ["deploy"] = "start the domain from its deployment XML (checked, disk.N links resolved, written atomically, NVRAM from OVMF_NVRAM, virsh create); prints the UUID",
        ["shutdown"] = "ACPI shutdown, waiting SHUTDOWN_TIMEOUT; FORCE_DESTROY destroys after it",
        ["cancel"] = "destroy the domain (CANCEL_NO_ACPI: without trying ACPI first)",
        ["reboot"] = "virsh reboot",
        ["reset"] = "virsh reset",
        ["save"] = "save the domain's memory to the checkpoint file",
        ["restore"] = "restore the domain from the checkpoint file",
        ["migrate"] = "live migration (MIGRATE_OPTIONS, auto-converge, compression); SHARED=NO: disks copied (rsync, ssh, --copy-storage-all)",
        ["attach_disk"] = "hot-plug a disk (kvmrc DEFAULT_ATTACH_* defaults, iotune rules)",
        ["detach_disk"] = "hot-unplug a disk",
        ["attach_nic"] = "hot-plug a NIC",
        ["detach_nic"] = "hot-unplug a NIC by MAC",
        ["snapshot_create"] = "create a system snapshot; prints its name",
        ["snapshot_revert"] = "revert to a snapshot",
        ["snapshot_delete"] = "delete a snapshot",
    };

    /// <summary>The exit code when the arguments ask for help or the version, else null (run the action).</summary>
    public static int? TryAnswer(string[] args, TextWriter stdout, TextWriter stderr)
    {
        if (args.Length == 0)
        {
            stdout.Write(Overview());
            return 2;
        }
        switch (args[0])
        {
            case "-h" or "--help":
                stdout.Write(Overview());
                return 0;
            case "--version":
                stdout.WriteLine($"onekvm-driver {BuildInfo.Describe(typeof(DriverHelp).Assembly)}");
                return 0;
            case "help" when args.Length == 1:
                stdout.Write(Overview());
                return 0;
            case "help":
                return Action(args[1], stdout, stderr);
        }
        // Only as the last argument: one_vmm_exec always ends the line with the host name, so a
        // "--help" elsewhere is a parameter (e.g. a domain named so), refused by the action, never a success.
        if (args.Length > 1 && args[^1] is "--help" or "-h") return Action(args[0], stdout, stderr);
        return null;
    }

    private static int Action(string name, TextWriter stdout, TextWriter stderr)
    {
        if (name == Remotes.Command)
        {
            stdout.Write(
                "onekvm-driver remotes: write the action files one_vmm_exec runs into DIR (e.g. /var/lib/one/remotes/vmm/kvm),\n"
                + "keeping upstream's scripts under DIR/.upstream; --restore puts them back.\n\n"
                + RemotesUsage + Trailer);
            return 0;
        }
        var action = ActionCatalog.Find(name);
        if (action is null)
        {
            // A plain line, as every failure reason of the driver (see DriverLog).
            stderr.WriteLine($"onekvm-driver: unknown action '{name}' (known: {string.Join(", ", ActionCatalog.All.Select(a => a.Name))})");
            return 2;
        }
        stdout.Write(
            $"onekvm-driver {action.Name}: {Summaries.GetValueOrDefault(action.Name, "")}\n\n" +
            $"Usage: onekvm-driver {action.Name} {action.Usage}\n" +
            $"Replaces /var/tmp/one/vmm/kvm/{action.Name}; called with the same arguments.\n" +
            Trailer);
        return 0;
    }

    private static string Overview() =>
        "onekvm-driver: OpenNebula KVM remote actions over libvirt (drop-in for /var/tmp/one/vmm/kvm/<action>).\n\n"
        + "Usage: onekvm-driver <action> ARGS...\n       onekvm-driver help <action>   (or <action> --help)\n       onekvm-driver --version\n"
        + RemotesUsage + "\nActions:\n"
        + string.Concat(ActionCatalog.All.Select(a => $"  {a.Name,-16} {Summaries.GetValueOrDefault(a.Name, a.Usage)}\n"))
        + "\n" + Trailer;

    private const string RemotesUsage =
        "       onekvm-driver remotes [--driver PATH] DIR   (PATH default " + Remotes.DefaultDriver + ") write the action files into DIR\n"
        + "       onekvm-driver remotes --restore DIR         put upstream's scripts back\n";

    private const string Trailer =
        "\nkvmrc: $ONEKVM_KVMRC or " + DriverSettings.DefaultKvmrcPath + ", sourced by bash as upstream does\n"
        + "(LIBVIRT_URI, SHUTDOWN_TIMEOUT, FORCE_DESTROY, CANCEL_NO_ACPI, VIRSH_RETRIES, SYNC_TIME, CLEANUP_MEMORY_ON_*,\n"
        + " MIGRATE_OPTIONS, QEMU_PROTOCOL, DEFAULT_ATTACH_*; OneKvm: ONEKVM_JOB_TIMEOUT, ONEKVM_VIRSH_TIMEOUT, ONEKVM_DETACH_TIMEOUT);\n"
        + "$ONEKVM_VIRSH: the virsh program.\n"
        + "Exit status: 0 success; 1 (255 for deploy, snapshot_create) the action failed, the reason on stderr;\n"
        + "2 usage or configuration error; 70 internal error (one line on stderr).\n";
}
