using OneKvm.Probes.Virsh;

namespace OneKvm.Probes.Host.Libvirt;

/// <summary>
/// Reads the libvirt part of SYSTEM_HOST with three virsh calls: <c>capabilities</c>,
/// <c>domcapabilities</c> (host arch, default virt type) and <c>cpu-baseline FILE --features</c> over
/// the capabilities just read. A failed call leaves its part null and adds a failure naming the URI;
/// after a failure of <c>capabilities</c> or a timeout nothing more is asked (libvirt is unreachable,
/// and each further call would wait for the timeout again).
/// </summary>
public static class LibvirtHostReader
{
    public static async Task<LibvirtHostInfo> ReadAsync(IVirsh virsh, CancellationToken cancellationToken)
    {
        var failures = new List<string>();
        string capabilitiesXml;
        HostCapabilities capabilities;
        try
        {
            capabilitiesXml = await virsh.RunAsync(["capabilities"], cancellationToken);
            capabilities = CapabilitiesParser.Parse(capabilitiesXml);
        }
        catch (Exception e) when (e is VirshException or FormatException)
        {
            failures.Add(Describe(e, virsh, "capabilities"));
            return new LibvirtHostInfo(null, null, null, failures);
        }

        DomainCapabilities? domainCapabilities = null;
        IReadOnlyList<string>? features = null;
        var gaveUp = false;
        try
        {
            string[] args = capabilities.HostArch is { } arch ? ["domcapabilities", "--arch", arch] : ["domcapabilities"];
            domainCapabilities = DomainCapabilitiesParser.Parse(await virsh.RunAsync(args, cancellationToken));
        }
        catch (Exception e) when (e is VirshException or FormatException)
        {
            failures.Add(Describe(e, virsh, "domcapabilities"));
            gaveUp = e is VirshException { TimedOut: true };
        }

        if (!gaveUp)
        {
            try
            {
                features = await BaselineFeaturesAsync(virsh, capabilitiesXml, cancellationToken);
            }
            catch (Exception e) when (e is VirshException or FormatException or IOException)
            {
                failures.Add(Describe(e, virsh, "cpu-baseline"));
            }
        }
        return new LibvirtHostInfo(capabilities, domainCapabilities, features, failures);
    }

    /// <summary><c>cpu-baseline</c> reads its input from a file; the capabilities go to a private temporary file.</summary>
    private static async Task<IReadOnlyList<string>> BaselineFeaturesAsync(IVirsh virsh, string capabilitiesXml, CancellationToken cancellationToken)
    {
        var file = Path.Join(Path.GetTempPath(), $"onekvm-capabilities-{Environment.ProcessId}-{Guid.NewGuid():N}.xml");
        try
        {
            await File.WriteAllTextAsync(file, capabilitiesXml, cancellationToken);
            return CpuBaselineParser.ParseFeatures(await virsh.RunAsync(["cpu-baseline", file, "--features"], cancellationToken));
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>virsh errors already name the URI; a parse error gets it added.</summary>
    private static string Describe(Exception e, IVirsh virsh, string command) =>
        e is VirshException ? e.Message : $"'virsh {command}' from libvirt at {virsh.Uri}: {e.Message}";
}
