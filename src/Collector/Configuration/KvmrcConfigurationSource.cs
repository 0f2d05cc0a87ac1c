using Microsoft.Extensions.Configuration;
using OneKvm.Libvirt.Configuration;

namespace OneKvm.Collector.Configuration;

/// <summary>
/// Adds kvmrc (evaluated by bash as upstream sources it, see <see cref="Kvmrc"/>) to the configuration: every variable as <c>Kvmrc:Vars:NAME</c>, and
/// <c>LIBVIRT_URI</c> as <c>Libvirt:Uri</c>. A missing file is skipped unless <see cref="Required"/>.
/// </summary>
public sealed class KvmrcConfigurationSource : IConfigurationSource
{
    public required string Path { get; init; }

    public bool Required { get; init; }

    public IConfigurationProvider Build(IConfigurationBuilder builder) => new KvmrcConfigurationProvider(this);
}

internal sealed class KvmrcConfigurationProvider(KvmrcConfigurationSource source) : ConfigurationProvider
{
    public override void Load()
    {
        var data = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        if (Directory.Exists(source.Path))
            throw new InvalidDataException($"{source.Path}: cannot read kvmrc: it is a directory");
        if (!File.Exists(source.Path))
        {
            if (source.Required) throw new InvalidDataException($"{source.Path}: cannot read kvmrc: no such file");
            Data = data;
            return;
        }
        try
        {
            using var probe = File.OpenRead(source.Path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidDataException($"{source.Path}: cannot read kvmrc: {e.Message}", e);
        }

        foreach (var (name, value) in Kvmrc.Evaluate(source.Path))
        {
            data[$"Kvmrc:Vars:{name}"] = value;
        }
        if (data.TryGetValue("Kvmrc:Vars:LIBVIRT_URI", out var uri) && !string.IsNullOrEmpty(uri))
        {
            data["Libvirt:Uri"] = uri;
        }
        Data = data;
    }
}
