using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace OneKvm.Probes.OpenNebula;

/// <summary>
/// Upstream's probe configuration files under <c>etc/im/kvm-probes.d/</c> (<c>pci.conf</c>,
/// <c>forecast.conf</c>) are YAML read by Ruby or Python: a mapping whose keys may be Ruby symbols
/// (<c>:filter:</c>, read here as the key <c>filter</c>). Errors name the file, line and column.
/// </summary>
public sealed class ProbeConfFile
{
    private readonly YamlMappingNode _root;

    private ProbeConfFile(string path, YamlMappingNode root)
    {
        Path = path;
        _root = root;
    }

    public string Path { get; }

    /// <summary>Loads <paramref name="path"/>; null when the file does not exist.</summary>
    /// <exception cref="FormatException">not YAML, or not a mapping at the top.</exception>
    public static ProbeConfFile? Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new FormatException($"{path}: {e.Message}", e);
        }
        return Parse(text, path);
    }

    public static ProbeConfFile Parse(string text, string path)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw new FormatException($"{path}:{e.Start.Line}:{e.Start.Column}: {e.Message}", e);
        }
        if (stream.Documents.Count == 0) return new ProbeConfFile(path, new YamlMappingNode());
        return stream.Documents[0].RootNode is YamlMappingNode mapping
            ? new ProbeConfFile(path, mapping)
            : throw new FormatException($"{path}:{stream.Documents[0].RootNode.Start.Line}: expected a mapping of settings");
    }

    /// <summary>A scalar or a list of scalars under <paramref name="key"/> (a <c>:key:</c> symbol or plain key); null when absent.</summary>
    public IReadOnlyList<string>? Strings(params string[] key)
    {
        if (Find(key) is not { } node) return null;
        return node switch
        {
            YamlScalarNode { Value: null or "" or "~" or "null" } => [],
            YamlScalarNode scalar => [scalar.Value!],
            YamlSequenceNode sequence => [.. sequence.Children.Select(c => c is YamlScalarNode s ? s.Value ?? "" : throw Error(c, key, "a list of values"))],
            _ => throw Error(node, key, "a value or a list of values"),
        };
    }

    /// <summary>A whole number under <paramref name="key"/>; null when absent.</summary>
    public long? WholeNumber(params string[] key)
    {
        if (Find(key) is not { } node) return null;
        return node is YamlScalarNode scalar
            && long.TryParse(scalar.Value, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var value)
            ? value
            : throw Error(node, key, "a whole number");
    }

    private YamlNode? Find(string[] key)
    {
        YamlNode node = _root;
        foreach (var part in key)
        {
            if (node is not YamlMappingNode mapping) return null;
            var child = mapping.Children.FirstOrDefault(kv => kv.Key is YamlScalarNode s && Normalise(s.Value) == part).Value;
            if (child is null) return null;
            node = child;
        }
        return node;
    }

    private static string? Normalise(string? key) => key is not null && key.StartsWith(':') ? key[1..] : key;

    private FormatException Error(YamlNode node, string[] key, string expected) =>
        new($"{Path}:{node.Start.Line}: {string.Join('.', key)}: expected {expected}");
}
