using System.Diagnostics;
using System.Security;
using System.Text;

namespace OneKvm.Tests;

/// <summary>What a real QEMU test domain should have.</summary>
internal sealed record TestDomainSpec
{
    /// <summary>Domain name: <c>one-&lt;id&gt;</c> for OpenNebula VMs, anything else for a wild VM.</summary>
    public required string Name { get; init; }

    public int MemoryMiB { get; init; } = 64;

    public int Vcpus { get; init; } = 1;

    /// <summary><c>&lt;cputune&gt;&lt;shares&gt;</c>, or null to leave libvirt's default.</summary>
    public int? Shares { get; init; }

    /// <summary>Attach a 16 MiB qcow2 disk (vda) and a 8 MiB raw disk (vdb).</summary>
    public bool Disks { get; init; }

    /// <summary>Attach a tap NIC (<c>&lt;interface type='ethernet'&gt;</c>) named <c>&lt;name&gt;-0</c>.</summary>
    public bool TapNic { get; init; }

    /// <summary>Add the QEMU guest-agent channel.</summary>
    public bool GuestAgent { get; init; }

    /// <summary>Add <c>one:vm</c> metadata with this VM name and system datastore directory.</summary>
    public string? OneVmName { get; init; }

    public string? SystemDatastore { get; init; }

    public string? Title { get; init; }

    /// <summary>With <see cref="Disks"/>: also the raw disk (internal snapshots need qcow2 only).</summary>
    public bool RawDisk { get; init; } = true;

    /// <summary>A raw disk image to boot from (attached as <c>hda</c>), e.g. a boot sector that spins the vCPU.</summary>
    public string? BootImage { get; init; }

    /// <summary>Add <c>&lt;features&gt;&lt;acpi/&gt;</c>.</summary>
    public bool Acpi { get; init; } = true;
}

/// <summary>
/// A real QEMU domain (type <c>qemu</c>, no KVM) on the local libvirtd, for tests against real parts.
/// Created transient-free: defined, started, and destroyed + undefined on dispose. Domain names must
/// be unique per test class; use the ranges documented in <c>tests/README.md</c>.
/// </summary>
internal sealed class TestDomain : IDisposable
{
    public const string Uri = "qemu:///system";

    private static readonly string ImageDir = "/var/lib/libvirt/images/onekvm-tests";

    private TestDomain(TestDomainSpec spec, string uuid)
    {
        Spec = spec;
        Uuid = uuid;
    }

    public TestDomainSpec Spec { get; }

    public string Name => Spec.Name;

    public string Uuid { get; }

    /// <summary>True when <c>virsh version</c> reaches a libvirtd with QEMU. Real-host tests do not skip: run them filtered out (<c>--filter Category!=RealHost</c>) where there is no libvirtd.</summary>
    public static bool LibvirtAvailable()
    {
        try
        {
            return Virsh("version").ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    /// <summary>Defines and starts a domain (destroying a leftover of the same name first).</summary>
    public static TestDomain Start(TestDomainSpec spec)
    {
        Remove(spec.Name);
        var uuid = Guid.NewGuid().ToString();
        var xml = DomainXml(spec, uuid);
        var file = Path.Join(Path.GetTempPath(), $"onekvm-{spec.Name}-{uuid}.xml");
        File.WriteAllText(file, xml);
        try
        {
            Check(Virsh("define", file), "define");
            Check(Virsh("start", spec.Name), "start");
        }
        finally
        {
            File.Delete(file);
        }
        return new TestDomain(spec, uuid);
    }

    public void Suspend() => Check(Virsh("suspend", Name), "suspend");

    public void Resume() => Check(Virsh("resume", Name), "resume");

    public void Destroy() => Check(Virsh("destroy", Name), "destroy");

    public void Dispose() => Remove(Name);

    /// <summary>Destroys and undefines a domain if it exists, and deletes its disks.</summary>
    public static void Remove(string name)
    {
        Virsh("destroy", name);
        Virsh("undefine", name, "--nvram");
        foreach (var disk in Directory.Exists(ImageDir) ? Directory.GetFiles(ImageDir, $"{name}-*") : [])
        {
            File.Delete(disk);
        }
    }

    /// <summary>Runs <c>virsh -c qemu:///system ARGS</c> with LC_ALL=C; returns exit code and output.</summary>
    public static (int ExitCode, string Stdout, string Stderr) Virsh(params string[] args)
    {
        var psi = new ProcessStartInfo("virsh") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(Uri);
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["LC_ALL"] = "C";
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(60_000))
        {
            p.Kill(true);
            throw new TimeoutException($"virsh {string.Join(' ', args)} hung");
        }
        return (p.ExitCode, stdout.Result, stderr.Result);
    }

    private static void Check((int ExitCode, string Stdout, string Stderr) result, string what)
    {
        if (result.ExitCode != 0) throw new InvalidOperationException($"virsh {what} failed: {result.Stderr.Trim()}");
    }

    private static string CreateImage(string name, string format, int sizeMiB)
    {
        Directory.CreateDirectory(ImageDir);
        var path = Path.Join(ImageDir, $"{name}-{format}.img");
        var psi = new ProcessStartInfo("qemu-img") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "create", "-q", "-f", format, path, $"{sizeMiB}M" }) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"qemu-img create {path} failed: {p.StandardError.ReadToEnd()}");
        return path;
    }

    /// <summary>
    /// A raw disk of one 512-byte boot sector that jumps to itself forever (<c>EB FE</c>, zeros,
    /// <c>55 AA</c>), for <see cref="TestDomainSpec.BootImage"/>: the vCPU spins. One per domain (QEMU
    /// locks its image), in <paramref name="directory"/>, which is opened to QEMU's user.
    /// </summary>
    public static string SpinningBootSector(string directory, string name)
    {
        var sector = new byte[512];
        sector[0] = 0xEB;
        sector[1] = 0xFE;
        sector[510] = 0x55;
        sector[511] = 0xAA;
        var path = Path.Join(directory, name + "-spin.img");
        File.WriteAllBytes(path, sector);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(directory, (UnixFileMode)0b111_101_101);
        return path;
    }

    /// <summary>The domain XML for <paramref name="spec"/> (creates its disk images).</summary>
    public static string DomainXml(TestDomainSpec spec, string uuid)
    {
        static string E(string s) => SecurityElement.Escape(s);
        var x = new StringBuilder();
        x.Append("<domain type='qemu'>\n");
        x.Append($"  <name>{E(spec.Name)}</name>\n  <uuid>{uuid}</uuid>\n");
        if (spec.Title is not null) x.Append($"  <title>{E(spec.Title)}</title>\n");
        x.Append($"  <memory unit='MiB'>{spec.MemoryMiB}</memory>\n  <vcpu>{spec.Vcpus}</vcpu>\n");
        if (spec.Shares is { } shares) x.Append($"  <cputune><shares>{shares}</shares></cputune>\n");
        if (spec.OneVmName is not null)
        {
            x.Append("  <metadata>\n    <one:vm xmlns:one='http://opennebula.org/xmlns/libvirt/1.0'>\n");
            x.Append($"      <one:system_datastore>{E(spec.SystemDatastore ?? "")}</one:system_datastore>\n");
            x.Append($"      <one:name>{E(spec.OneVmName)}</one:name>\n");
            x.Append("      <one:uname>oneadmin</one:uname>\n      <one:uid>0</one:uid>\n");
            x.Append("      <one:gname>oneadmin</one:gname>\n      <one:gid>0</one:gid>\n");
            x.Append("      <one:opennebula_version>7.4.0</one:opennebula_version>\n");
            x.Append("      <one:stime>1724150000</one:stime>\n      <one:deployment_time>1724150012</one:deployment_time>\n");
            x.Append("    </one:vm>\n  </metadata>\n");
        }
        x.Append("  <os><type arch='x86_64' machine='pc'>hvm</type><boot dev='hd'/></os>\n");
        if (spec.Acpi) x.Append("  <features><acpi/></features>\n");
        x.Append("  <on_poweroff>destroy</on_poweroff><on_reboot>restart</on_reboot><on_crash>destroy</on_crash>\n");
        x.Append("  <devices>\n    <emulator>/usr/bin/qemu-system-x86_64</emulator>\n");
        if (spec.BootImage is { } boot)
        {
            x.Append($"    <disk type='file' device='disk'><driver name='qemu' type='raw'/><source file='{E(boot)}'/><target dev='hda' bus='ide'/></disk>\n");
        }
        if (spec.Disks)
        {
            var qcow2 = CreateImage(spec.Name, "qcow2", 16);
            x.Append($"    <disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='{qcow2}'/><target dev='vda' bus='virtio'/></disk>\n");
            if (spec.RawDisk)
            {
                var raw = CreateImage(spec.Name, "raw", 8);
                x.Append($"    <disk type='file' device='disk'><driver name='qemu' type='raw'/><source file='{raw}'/><target dev='vdb' bus='virtio'/></disk>\n");
            }
        }
        if (spec.TapNic)
        {
            x.Append($"    <interface type='ethernet'><target dev='{E(spec.Name)}-0' managed='yes'/><model type='virtio'/></interface>\n");
        }
        if (spec.GuestAgent)
        {
            x.Append("    <channel type='unix'><target type='virtio' name='org.qemu.guest_agent.0'/></channel>\n");
        }
        x.Append("    <graphics type='vnc' port='-1' listen='127.0.0.1'/>\n");
        x.Append("    <memballoon model='virtio'/>\n  </devices>\n</domain>\n");
        return x.ToString();
    }
}
