using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Reflection;

namespace OneKvm.Collector.Configuration;

/// <summary>
/// The configuration keys OneKvm knows: one section per property of <see cref="OneKvmOptions"/>,
/// one key per settable property of its record (string, number, bool, list, map of numbers),
/// plus <c>Paths:Root</c>, <c>Kvmrc:Path</c> and <c>Kvmrc:Vars:NAME</c>. Keys are case-insensitive.
/// </summary>
public static class ConfigurationSchema
{
    private static readonly string[] ExtraKeys = ["Paths:Root", "Kvmrc:Path"];

    public static IEnumerable<string> SectionNames => Sections.Keys.Append("Kvmrc").Order(StringComparer.Ordinal);

    /// <summary>Every scalar key and list/map prefix, e.g. for suggestions.</summary>
    public static IEnumerable<string> AllKeys =>
        Sections.SelectMany(s => s.Value.Keys.Select(k => $"{s.Key}:{k}")).Concat(ExtraKeys).Append("Kvmrc:Vars");

    /// <summary>If <paramref name="key"/> is an element of a list (<c>Serve:ExcludeCategories:0</c>), the list's key.</summary>
    public static string? ListOf(string key)
    {
        var parts = key.Split(':');
        return parts.Length == 3 && Property(parts[0], parts[1]) is { } p && p.PropertyType.IsArray ? $"{parts[0]}:{parts[1]}" : null;
    }

    /// <summary>True when <paramref name="key"/> names a list (<c>Serve:ExcludeCategories</c>).</summary>
    public static bool IsList(string key)
    {
        var parts = key.Split(':');
        return parts.Length == 2 && Property(parts[0], parts[1]) is { } p && p.PropertyType.IsArray;
    }

    /// <summary>Throws a <see cref="ConfigurationException"/> naming the key and its origin unless the key exists and the value fits its type.</summary>
    public static void Check(LocatedValue value)
    {
        var parts = value.Key.Split(':');
        var section = parts[0];
        if (!Sections.ContainsKey(section) && !section.Equals("Kvmrc", StringComparison.OrdinalIgnoreCase))
            throw new ConfigurationException($"{value.Origin}: unknown configuration section '{section}'{Suggest(section, SectionNames)} (sections: {string.Join(", ", SectionNames)})");
        if (parts.Length == 1)
            throw new ConfigurationException($"{value.Origin}: '{section}' is a section: give its keys ({section}:Key)");
        if (section.Equals("Kvmrc", StringComparison.OrdinalIgnoreCase))
        {
            if (parts.Length == 2 && parts[1].Equals("Path", StringComparison.OrdinalIgnoreCase)) return;
            if (parts.Length == 3 && parts[1].Equals("Vars", StringComparison.OrdinalIgnoreCase)) return;
            throw Unknown(value);
        }
        if (parts.Length == 2 && ExtraKeys.Contains(value.Key, StringComparer.OrdinalIgnoreCase)) return;

        var property = Property(section, parts[1]) ?? throw Unknown(value);
        var type = property.PropertyType;
        if (type.IsArray)
        {
            if (parts.Length == 2 && string.IsNullOrEmpty(value.Value)) return; // "ExcludeCategories": [] or an empty value: the empty list
            if (parts.Length != 3 || !int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out _))
                throw new ConfigurationException($"{value.Origin}: {section}:{property.Name} is a list: give its elements as {section}:{property.Name}:0, :1, … (or a JSON array)");
            CheckValue(value, type.GetElementType()!);
            return;
        }
        if (IsMap(type))
        {
            if (parts.Length != 3) throw new ConfigurationException($"{value.Origin}: {section}:{property.Name} is a map: give {section}:{property.Name}:NAME=VALUE");
            CheckValue(value, type.GetGenericArguments()[1]);
            return;
        }
        if (parts.Length != 2) throw Unknown(value);
        CheckValue(value, type);
    }

    /// <summary>A friendly name of what a key takes, for messages.</summary>
    public static string Describe(Type type) => (Nullable.GetUnderlyingType(type) ?? type) switch
    {
        var t when t == typeof(int) => "a whole number",
        var t when t == typeof(double) => "a number",
        var t when t == typeof(bool) => "true or false",
        _ => "text",
    };

    private static void CheckValue(LocatedValue value, Type type)
    {
        var text = value.Value;
        if (text is null || type == typeof(string)) return;
        var target = Nullable.GetUnderlyingType(type) ?? type;
        var ok = target switch
        {
            _ when target == typeof(int) => int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _),
            _ when target == typeof(double) => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _),
            _ when target == typeof(bool) => bool.TryParse(text, out _),
            _ => true,
        };
        if (!ok) throw new ConfigurationException($"{value.Origin}: {value.Key}: '{text}' is not {Describe(type)}");
    }

    private static ConfigurationException Unknown(LocatedValue value) =>
        new($"{value.Origin}: unknown configuration key '{value.Key}'{Suggest(value.Key, AllKeys)}");

    private static PropertyInfo? Property(string section, string name) =>
        Sections.TryGetValue(section, out var properties) ? properties.GetValueOrDefault(name) : null;

    private static bool IsMap(Type type) =>
        type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Dictionary<,>) && type.GetGenericArguments()[0] == typeof(string);

    private static bool Supported(Type type)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        return t == typeof(string) || t == typeof(int) || t == typeof(double) || t == typeof(bool)
            || t == typeof(string[]) || (IsMap(t) && t.GetGenericArguments()[1] == typeof(double));
    }

    /// <summary>The record behind each section (named statically so that trimming keeps their properties).</summary>
    internal static readonly SectionType[] SectionTypes =
    [
        new("Paths", typeof(OneKvm.Cgroups.HostPaths)),
        new("Libvirt", typeof(LibvirtOptions)),
        new("Probes", typeof(OneKvm.Probes.ProbeSettings)),
        new("Serve", typeof(ServeOptions)),
        new("Agent", typeof(AgentOptions)),
        new("Host", typeof(HostReservationOptions)),
        new("Cgroups", typeof(OneKvm.Probes.Audit.ShareAuditSettings)),
        new("Logging", typeof(LoggingOptions)),
    ];

    // After SectionTypes: static fields are initialised in order.
    private static readonly Dictionary<string, Dictionary<string, PropertyInfo>> Sections = BuildSections();

    /// <summary>A section's name and record; the annotation keeps the record's public properties through trimming.</summary>
    internal readonly struct SectionType(string name, [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)] Type type)
    {
        public string Name { get; } = name;

        [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)]
        public Type Type { get; } = type;
    }

    private static Dictionary<string, Dictionary<string, PropertyInfo>> BuildSections()
    {
        var sections = new Dictionary<string, Dictionary<string, PropertyInfo>>(StringComparer.OrdinalIgnoreCase);
        foreach (var section in SectionTypes)
        {
            sections[section.Name] = section.Type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Where(p => p.SetMethod is { IsPublic: true } && Supported(p.PropertyType))
                .ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);
        }
        return sections;
    }

    internal static string Suggest(string typed, IEnumerable<string> candidates)
    {
        var best = candidates
            .Select(c => (Name: c, Distance: CommandLineArgs.Levenshtein(typed.ToUpperInvariant(), c.ToUpperInvariant())))
            .Where(c => c.Distance <= Math.Max(1, typed.Length / 4))
            .OrderBy(c => c.Distance)
            .FirstOrDefault();
        return best.Name is null ? "" : $" (did you mean {best.Name}?)";
    }
}
