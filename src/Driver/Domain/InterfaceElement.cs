using System.Globalization;
using System.Xml.Linq;

namespace OneKvm.Driver.Domain;

/// <summary>
/// Builds a libvirt <c>&lt;interface&gt;</c> from an OpenNebula <c>NIC</c> vector:
/// ethernet / bridge / openvswitch / vhostuser, MAC, target, boot order, script, model (NIC, else the
/// default, e.g. kvmrc's <c>DEFAULT_ATTACH_NIC_MODEL</c>), vhost queues for virtio, filterref with the
/// IP parameters, bandwidth. Empty values are never written.
/// </summary>
public static class InterfaceElement
{
    /// <param name="nic">NIC attributes (upper-case names).</param>
    /// <param name="defaultModel">Model when the NIC has none (<c>NIC/MODEL</c> default or <c>DEFAULT_ATTACH_NIC_MODEL</c>).</param>
    /// <param name="defaultFilter">Filter when the NIC has none (<c>NIC/FILTER</c> or <c>DEFAULT_ATTACH_NIC_FILTER</c>).</param>
    /// <param name="vcpus">The VM's VCPU, for <c>VIRTIO_QUEUES=auto</c>.</param>
    public static XElement Build(IReadOnlyDictionary<string, string> nic, string? defaultModel, string? defaultFilter, int vcpus = 1)
    {
        string? Get(string name) => nic.TryGetValue(name, out var v) && v.Length > 0 ? v : null;

        var bridge = Get("BRIDGE");
        var bridgeType = Get("BRIDGE_TYPE")?.ToLowerInvariant();
        var dummy = string.Equals(Get("NETWORK_MODE"), "dummy", StringComparison.OrdinalIgnoreCase);
        XElement element;
        if (bridge is null || dummy)
        {
            element = new XElement("interface", new XAttribute("type", "ethernet"));
        }
        else if (bridgeType == "openvswitch_dpdk")
        {
            element = new XElement("interface", new XAttribute("type", "vhostuser"),
                new XElement("source", new XAttribute("type", "unix"), new XAttribute("mode", "server"),
                    new XAttribute("path", $"/var/run/one/vhost-socks/{Get("TARGET")}")));
        }
        else
        {
            element = new XElement("interface", new XAttribute("type", "bridge"), new XElement("source", new XAttribute("bridge", bridge)));
            if (bridgeType == "openvswitch") element.Add(new XElement("virtualport", new XAttribute("type", "openvswitch")));
        }

        if (Get("MAC") is { } mac) element.Add(new XElement("mac", new XAttribute("address", mac)));
        if (Get("TARGET") is { } target) element.Add(new XElement("target", new XAttribute("dev", target)));
        if (Get("ORDER") is { } order) element.Add(new XElement("boot", new XAttribute("order", order)));
        if (Get("SCRIPT") is { } script) element.Add(new XElement("script", new XAttribute("path", script)));

        var model = Get("MODEL") ?? (string.IsNullOrEmpty(defaultModel) ? null : defaultModel);
        if (model is not null)
        {
            element.Add(new XElement("model", new XAttribute("type", model)));
            if (model == "virtio" && Queues(Get("VIRTIO_QUEUES"), vcpus) is { } queues)
                element.Add(new XElement("driver", new XAttribute("name", "vhost"), new XAttribute("queues", queues)));
        }

        var filter = Get("FILTER") ?? (string.IsNullOrEmpty(defaultFilter) ? null : defaultFilter);
        if (filter is not null && Get("IP") is { } ip)
        {
            var filterref = new XElement("filterref", new XAttribute("filter", filter),
                new XElement("parameter", new XAttribute("name", "IP"), new XAttribute("value", ip)));
            if (Get("VROUTER_IP") is { } vrouterIp)
                filterref.Add(new XElement("parameter", new XAttribute("name", "IP"), new XAttribute("value", vrouterIp)));
            element.Add(filterref);
        }

        var bandwidth = new XElement("bandwidth");
        foreach (var direction in new[] { "INBOUND", "OUTBOUND" })
        {
            var limits = new XElement(direction.ToLowerInvariant());
            if (Get($"{direction}_AVG_BW") is { } average) limits.Add(new XAttribute("average", average));
            if (Get($"{direction}_PEAK_BW") is { } peak) limits.Add(new XAttribute("peak", peak));
            if (Get($"{direction}_PEAK_KB") is { } burst) limits.Add(new XAttribute("burst", burst));
            if (limits.HasAttributes) bandwidth.Add(limits);
        }
        if (bandwidth.HasElements) element.Add(bandwidth);
        return element;
    }

    /// <summary><c>auto</c> = VCPU; a positive number as given; anything else is dropped (as upstream).</summary>
    private static string? Queues(string? value, int vcpus) => value switch
    {
        null => null,
        "auto" => vcpus.ToString(CultureInfo.InvariantCulture),
        _ when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 => value,
        _ => null,
    };
}
