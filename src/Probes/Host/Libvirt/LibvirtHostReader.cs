using System.Xml;
using System.Xml.Linq;
using OneKvm.Libvirt;

namespace OneKvm.Probes.Host.Libvirt;

/// <summary>
/// Reads the libvirt part of SYSTEM_HOST with three calls: the capabilities, the domain
/// capabilities (host arch, default virt type) and the CPU baseline of the capabilities' host CPU
/// with its features expanded. A failed call leaves its part null and adds a failure naming the
/// URI; after a failure of the capabilities or a missed deadline nothing more is asked (libvirt is
/// unreachable, and each further call would wait for the deadline again).
/// </summary>
public static class LibvirtHostReader
{
    public static async Task<LibvirtHostInfo> ReadAsync(ILibvirtClient libvirt, CancellationToken cancellationToken)
    {
        var failures = new List<string>();
        string capabilitiesXml;
        HostCapabilities capabilities;
        try
        {
            capabilitiesXml = await libvirt.GetCapabilitiesAsync(cancellationToken);
            capabilities = CapabilitiesParser.Parse(capabilitiesXml);
        }
        catch (Exception e) when (e is LibvirtException or FormatException)
        {
            failures.Add(Describe(e, libvirt, "capabilities"));
            return new LibvirtHostInfo(null, null, null, failures);
        }

        DomainCapabilities? domainCapabilities = null;
        IReadOnlyList<string>? features = null;
        var gaveUp = false;
        try
        {
            domainCapabilities = DomainCapabilitiesParser.Parse(
                await libvirt.GetDomainCapabilitiesAsync(null, capabilities.HostArch, null, null, cancellationToken));
        }
        catch (Exception e) when (e is LibvirtException or FormatException)
        {
            failures.Add(Describe(e, libvirt, "domain capabilities"));
            gaveUp = e is LibvirtException { TimedOut: true } or LibvirtException { Unreachable: true };
        }

        if (!gaveUp)
        {
            try
            {
                var hostCpu = HostCpuElement(capabilitiesXml);
                features = CpuBaselineParser.ParseFeatures(await libvirt.BaselineCpuAsync([hostCpu], expandFeatures: true, cancellationToken));
            }
            catch (Exception e) when (e is LibvirtException or FormatException)
            {
                failures.Add(Describe(e, libvirt, "CPU baseline"));
            }
        }
        return new LibvirtHostInfo(capabilities, domainCapabilities, features, failures);
    }

    /// <summary>The <c>host/cpu</c> element of the capabilities, the input of the baseline .</summary>
    /// <exception cref="FormatException">the capabilities have no host CPU.</exception>
    public static string HostCpuElement(string capabilitiesXml)
    {
        try
        {
            var cpu = XDocument.Parse(capabilitiesXml).Root?.Element("host")?.Element("cpu")
                ?? throw new FormatException("the capabilities name no host CPU (host/cpu)");
            return cpu.ToString(SaveOptions.DisableFormatting);
        }
        catch (XmlException e)
        {
            throw new FormatException($"malformed capabilities XML: {e.Message}", e);
        }
    }

    /// <summary>libvirt errors already name the URI; a parse error gets it added.</summary>
    private static string Describe(Exception e, ILibvirtClient libvirt, string what) =>
        e is LibvirtException ? e.Message : $"{what} from libvirt at {libvirt.Uri}: {e.Message}";
}
