using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using OneKvm.Probes.OpenNebula;

namespace OneKvm.Collector.Configuration;

/// <summary>A configuration value that a user is told about: <paramref name="Origin"/> says where it was set.</summary>
public sealed record LocatedValue(string Key, string? Value, string Origin);

/// <summary>A configuration error naming the key and where it was set; exit status 2.</summary>
public sealed class ConfigurationException(string message) : FormatException(message);

/// <summary>One layer of the configuration: its values (keys like <c>Serve:Intervals:system_host</c>) and the lists it sets.</summary>
public sealed record ConfigurationLayer(IReadOnlyList<LocatedValue> Values)
{
    /// <summary>Keys given as an empty JSON array (<c>"ExcludeCategories": []</c>): the list is set, to nothing.</summary>
    public IReadOnlySet<string> EmptyLists { get; init; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
}

/// <summary>Reads the layers: JSON with the line of every key, the environment, kvmrc, the command line.</summary>
public static partial class ConfigurationLayers
{
    /// <summary>The JSON file as flat keys; a syntax error is a <see cref="ConfigurationException"/> with line and column.</summary>
    public static ConfigurationLayer Json(string path, byte[] bytes)
    {
        var values = new List<LocatedValue>();
        var emptyLists = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var lineStarts = LineStarts(bytes);
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var segments = new List<string>();
        var arrayIndex = new Stack<int>(); // -1 for an object level
        try
        {
            if (!reader.Read()) return new ConfigurationLayer(values);
            if (reader.TokenType != JsonTokenType.StartObject)
                throw new ConfigurationException($"{path}:1:1: the configuration must be a JSON object ({{ \"Section\": {{ \"Key\": value }} }})");
            arrayIndex.Push(-1);
            string? pendingName = null;
            while (reader.Read())
            {
                var line = LineOf(lineStarts, reader.TokenStartIndex);
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        pendingName = reader.GetString()!;
                        continue;
                    case JsonTokenType.StartObject or JsonTokenType.StartArray:
                        segments.Add(NextSegment(ref pendingName, arrayIndex));
                        if (reader.TokenType == JsonTokenType.StartArray)
                        {
                            arrayIndex.Push(0);
                            var peek = reader;
                            if (peek.Read() && peek.TokenType == JsonTokenType.EndArray) emptyLists.Add(string.Join(':', segments));
                        }
                        else
                        {
                            arrayIndex.Push(-1);
                        }
                        break;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        arrayIndex.Pop();
                        if (segments.Count > 0) segments.RemoveAt(segments.Count - 1);
                        break;
                    default:
                        var segment = NextSegment(ref pendingName, arrayIndex);
                        var key = segments.Count == 0 ? segment : $"{string.Join(':', segments)}:{segment}";
                        string? value = reader.TokenType switch
                        {
                            JsonTokenType.String => reader.GetString(),
                            JsonTokenType.Null => null,
                            JsonTokenType.True => "true",
                            JsonTokenType.False => "false",
                            _ => Encoding.UTF8.GetString(reader.ValueSpan),
                        };
                        values.Add(new LocatedValue(key, value, $"{path}:{line}"));
                        break;
                }
            }
        }
        catch (JsonException e)
        {
            var line = (e.LineNumber ?? 0) + 1;
            var column = (e.BytePositionInLine ?? 0) + 1;
            throw new ConfigurationException($"{path}:{line}:{column}: invalid JSON: {JsonPosition().Replace(e.Message, "").TrimEnd('.', ' ')}");
        }
        return new ConfigurationLayer(values) { EmptyLists = emptyLists };
    }

    /// <summary><c>ONEKVM_Section__Key</c> variables; variables without <c>__</c> belong to other tools (the driver, tests) and are left alone.</summary>
    public static ConfigurationLayer Environment(IEnumerable<KeyValuePair<string, string?>> variables, string prefix) =>
        new(variables
            .Where(kv => kv.Key.StartsWith(prefix, StringComparison.Ordinal) && kv.Key.Contains("__", StringComparison.Ordinal))
            .OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => new LocatedValue(kv.Key[prefix.Length..].Replace("__", ":", StringComparison.Ordinal), kv.Value, $"environment {kv.Key}"))
            .ToList());

    /// <summary>kvmrc: every variable as <c>Kvmrc:Vars:NAME</c>, <c>LIBVIRT_URI</c> also as <c>Libvirt:Uri</c>. A missing file is empty unless required.</summary>
    public static ConfigurationLayer Kvmrc(string path, bool required)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException && !required)
        {
            return new ConfigurationLayer([]);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidDataException($"{path}: cannot read kvmrc: {e.Message}", e);
        }

        var origin = $"kvmrc {path}";
        var values = new List<LocatedValue>();
        foreach (var (name, value) in KvmrcParser.Parse(text, path))
        {
            values.Add(new LocatedValue($"Kvmrc:Vars:{name}", value, origin));
            if (name == "LIBVIRT_URI" && value.Length > 0) values.Add(new LocatedValue("Libvirt:Uri", value, origin));
        }
        return new ConfigurationLayer(values);
    }

    /// <summary>The settings of the command line with the argument that gave each.</summary>
    public static ConfigurationLayer CommandLine(CommandLineArgs args) =>
        new(args.Settings.Select(kv => new LocatedValue(kv.Key, kv.Value, args.SettingOrigins.GetValueOrDefault(kv.Key, $"argument --{kv.Key}"))).ToList());

    private static string NextSegment(ref string? pendingName, Stack<int> arrayIndex)
    {
        if (arrayIndex.Peek() < 0)
        {
            var name = pendingName!;
            pendingName = null;
            return name;
        }
        var index = arrayIndex.Pop();
        arrayIndex.Push(index + 1);
        return index.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    private static List<long> LineStarts(byte[] bytes)
    {
        var starts = new List<long> { 0 };
        for (var i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] == (byte)'\n') starts.Add(i + 1);
        }
        return starts;
    }

    private static int LineOf(List<long> lineStarts, long offset)
    {
        var index = lineStarts.BinarySearch(offset);
        return (index >= 0 ? index : ~index - 1) + 1;
    }

    [GeneratedRegex(@"\s*(Path: \S+ \| )?LineNumber: \d+ \| BytePositionInLine: \d+\.?")]
    private static partial Regex JsonPosition();
}
