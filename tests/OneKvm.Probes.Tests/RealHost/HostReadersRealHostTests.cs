using System.Diagnostics;
using System.Globalization;
using OneKvm.Cgroups;
using OneKvm.Cgroups.Proc;
using OneKvm.Probes.Host.Kernel;
using OneKvm.Probes.Sampling;
using OneKvm.Tests;

namespace OneKvm.Probes.Tests.RealHost;

[Trait(TestTraits.Category, TestTraits.RealHost)]
[Collection(LibvirtGroup.Name)]
public sealed class HostReadersRealHostTests
{
    [Fact]
    public void FileSystemUsage_Root_MatchesDf()
    {
        var df = Run("df", "-B1M", "-P", "/").Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]
            .Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var usage = FileSystemUsage.Of("/");
        // df and statvfs are read at slightly different moments: allow a few MiB of churn.
        ((double)usage.TotalMib).ShouldBe(double.Parse(df[1], CultureInfo.InvariantCulture), 0.5);
        ((double)usage.UsedMib).ShouldBe(double.Parse(df[2], CultureInfo.InvariantCulture), 64);
        ((double)usage.AvailableMib).ShouldBe(double.Parse(df[3], CultureInfo.InvariantCulture), 64);
    }

    [Fact]
    public void FileSystemUsage_MissingPath_NamesIt()
    {
        Should.Throw<IOException>(() => FileSystemUsage.Of("/nonexistent/onekvm")).Message.ShouldStartWith("/nonexistent/onekvm: statvfs failed");
    }

    [Fact]
    public void OnlineCpus_MatchGetconf()
    {
        var online = int.Parse(Run("getconf", "_NPROCESSORS_ONLN").Trim(), CultureInfo.InvariantCulture);
        CpuTopology.ReadOnline(HostPaths.Default).ShouldNotBeNull().Count.ShouldBe(online);
        ProcStatParser.Read(HostPaths.Default).OnlineCpus.ShouldBe(online);
    }

    [Fact]
    public void MemInfo_MatchesFree()
    {
        // free(1) -k prints MemTotal in its "Mem:" line, column 2.
        var total = Run("free", "-k").Split('\n').First(l => l.StartsWith("Mem:", StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
        KernelSnapshot.Read(HostPaths.Default, TimeProvider.System).MemTotalKib.ShouldBe(ulong.Parse(total, CultureInfo.InvariantCulture));
    }

    [Fact]
    public void KernelIdentity_MatchesUname()
    {
        var identity = KernelIdentity.Read(HostPaths.Default);
        identity.HostName.ShouldBe(Run("uname", "-n").Trim());
        if (identity.Machine is not null) identity.Machine.ShouldBe(Run("uname", "-m").Trim());
    }

    private static string Run(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["LC_ALL"] = "C";
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        p.ExitCode.ShouldBe(0, $"{file} {string.Join(' ', args)} failed");
        return output;
    }
}
