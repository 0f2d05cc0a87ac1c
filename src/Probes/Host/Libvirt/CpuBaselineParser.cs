namespace OneKvm.Probes.Host.Libvirt;

/// <summary>
/// Parses the CPU baseline with expanded features (<c>virConnectBaselineCPU</c>), the host CPU expanded to every feature:
/// <code>
/// &lt;cpu mode='custom' match='exact'&gt;
///   &lt;model fallback='forbid'&gt;EPYC-Rome&lt;/model&gt;
///   &lt;feature policy='require' name='x2apic'/&gt;
///   &lt;feature policy='disable' name='pni'/&gt;
/// </code>
/// Returns the names of the required features; <c>disable</c>d ones are features the host lacks
/// relative to the model and are left out.
/// </summary>
public static class CpuBaselineParser
{
    /// <exception cref="FormatException">the text is not a CPU definition.</exception>
    public static IReadOnlyList<string> ParseFeatures(string xml)
    {
        var cpu = CapabilitiesParser.Load(xml, "cpu");
        return [.. cpu.Elements("feature")
            .Where(f => (string?)f.Attribute("policy") is null or "require" or "force")
            .Select(f => ((string?)f.Attribute("name"))?.Trim() ?? "")
            .Where(n => n.Length > 0)
            .Distinct(StringComparer.Ordinal)];
    }
}
