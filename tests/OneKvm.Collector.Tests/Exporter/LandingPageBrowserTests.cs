using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using OneKvm.Collector.Tests.Support;
using OneKvm.Tests;

namespace OneKvm.Collector.Tests.Exporter;

/// <summary>
/// The status page at <c>/</c> of a running <c>serve</c> on real QEMU domains, rendered by headless
/// Chromium (Debian <c>chromium</c>): a phone-sized screenshot, and the DOM's VM table checked
/// against libvirt's running domains and the exposition of the same snapshot.
/// </summary>
[Trait(TestTraits.Category, TestTraits.RealHost)]
[Collection(LibvirtGroup.Name)]
public sealed partial class LandingPageBrowserTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("onekvm-page-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>Where the screenshot stays after the test, for a person to look at.</summary>
    public static string ScreenshotPath => Path.Join(Path.GetTempPath(), "onekvm-landing-page.png");

    [Fact]
    public async Task LandingPage_InHeadlessChromium_ListsEveryRunningVmAsTheSnapshotHasIt()
    {
        // The shares OpenNebula writes for CPU 0.5 and 2 on the scale of this host's cpu controller (v1 or v2).
        var version = OneKvm.Cgroups.Layout.CgroupLayout.Detect(OneKvm.Cgroups.HostPaths.Default).CpuVersion ?? throw new InvalidOperationException("no cpu controller");
        using var a = TestDomain.Start(new TestDomainSpec { Name = "one-9860", OneVmName = "page <b>&\"web\"", Shares = (int)OneKvm.Probes.OpenNebula.OneCpuShares.For(0.5f, version) });
        using var b = TestDomain.Start(new TestDomainSpec { Name = "one-9861", Shares = (int)OneKvm.Probes.OpenNebula.OneCpuShares.For(2f, version), Vcpus = 2 });
        using var wild = TestDomain.Start(new TestDomainSpec { Name = "onekvm-test-srv5b" });
        TestDomain.Virsh("suspend", b.Name).Item1.ShouldBe(0);
        var before = RunningDomains();
        // A long interval: the page and the scrape below see the same snapshot.
        using var serve = ServeProcess.Start(_dir, ["--Serve:IntervalSeconds=3600", "--Serve:Intervals:cgroups=3600"]);
        var exposition = await serve.WaitForAsync(x => x.Contains("onekvm_vm_cgroup_cpu_weight_drift{domain=\"one-9861\"", StringComparison.Ordinal)
            && x.Contains("onekvm_vm_state{domain=\"onekvm-test-srv5b\"", StringComparison.Ordinal), TimeSpan.FromSeconds(120));
        var url = $"http://127.0.0.1:{serve.Port}/";

        var (code, dom, stderr) = await Chromium(["--dump-dom", url]);
        code.ShouldBe(0, stderr);
        (code, _, stderr) = await Chromium([$"--screenshot={ScreenshotPath}", "--window-size=390,1400", url]);
        code.ShouldBe(0, stderr);
        var png = await File.ReadAllBytesAsync(ScreenshotPath);
        png.Length.ShouldBeGreaterThan(5000);
        png[..4].ShouldBe(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' });

        var rows = VmRows(dom);
        // Other engineers' domains come and go on the shared libvirtd: check those running throughout.
        foreach (var running in before.Intersect(RunningDomains()))
            rows.Keys.ShouldContain(running, $"running domain {running} is not in the page's VM table");
        foreach (var domain in new[] { a.Name, b.Name, wild.Name })
        {
            var row = rows[domain];
            var state = (int)Series(exposition, "onekvm_vm_state", domain)!;
            row["State"].ShouldBe(state switch { 1 => "running", 3 => "paused", _ => state.ToString(CultureInfo.InvariantCulture) }, domain);
            row["VM id"].ShouldBe(domain.StartsWith("one-", StringComparison.Ordinal) ? domain[4..] : "");
            var drift = Series(exposition, "onekvm_vm_cgroup_cpu_weight_drift", domain);
            row["Share drift"].ShouldBe(drift?.ToString("+0;-0;0", CultureInfo.InvariantCulture) ?? "", domain); // none when the CPU attribute is unknown
            if (Series(exposition, "onekvm_vm_cpu_entitlement_ratio", domain) is { } ratio)
                double.Parse(row["CPU entitled (cores)"], CultureInfo.InvariantCulture).ShouldBe(ratio * Host(exposition, "onekvm_host_max_cpus"), 0.006, domain);
        }
        rows[a.Name]["Share drift"].ShouldBe("0"); // libvirt applied the shares the template asks for
        rows[a.Name]["Name"].ShouldBe("page <b>&\"web\""); // escaped in the HTML, text again in the DOM
        rows[b.Name]["State"].ShouldBe("paused");
        dom.ShouldNotContain("<b>&");
    }

    private static HashSet<string> RunningDomains()
    {
        var (code, list, stderr) = TestDomain.Virsh("list", "--name", "--state-running", "--state-paused");
        code.ShouldBe(0, stderr);
        return list.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
    }

    private static double? Series(string exposition, string family, string domain)
    {
        var match = Regex.Match(exposition, $@"^{family}\{{domain=""{Regex.Escape(domain)}""[^}}]*\}} (\S+)$", RegexOptions.Multiline);
        return match.Success ? double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : null;
    }

    private static double Host(string exposition, string family) =>
        double.Parse(Regex.Match(exposition, $@"^{family} (\S+)$", RegexOptions.Multiline).Groups[1].Value, CultureInfo.InvariantCulture);

    /// <summary>The VM table of Chromium's DOM, by <c>data-domain</c>, cells by their <c>data-label</c>.</summary>
    private static Dictionary<string, Dictionary<string, string>> VmRows(string dom)
    {
        var table = TableElement().Match(dom);
        table.Success.ShouldBeTrue("no table#vms in the DOM");
        var xml = XElement.Parse(table.Value.Replace("&nbsp;", "\u00a0", StringComparison.Ordinal));
        return xml.Descendants("tr").Where(tr => tr.Attribute("data-domain") is not null).ToDictionary(
            tr => (string)tr.Attribute("data-domain")!,
            tr => tr.Elements("td").ToDictionary(td => (string)td.Attribute("data-label")!, td => td.Value));
    }

    private async Task<(int Code, string Stdout, string Stderr)> Chromium(string[] args)
    {
        var info = new ProcessStartInfo("chromium") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars",
                     $"--user-data-dir={Path.Join(_dir, "chromium")}", "--virtual-time-budget=2000" }.Concat(args))
        {
            info.ArgumentList.Add(arg);
        }
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        return (process.ExitCode, await stdout, await stderr);
    }

    [GeneratedRegex(@"<table id=""vms"">.*?</table>", RegexOptions.Singleline)]
    private static partial Regex TableElement();
}
