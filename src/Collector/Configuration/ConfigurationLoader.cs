using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Configuration;
using OneKvm.Cgroups;
using OneKvm.Probes;

namespace OneKvm.Collector.Configuration;

/// <summary>
/// Builds the configuration, lowest precedence first: built-in defaults, the JSON file
/// (<c>/etc/one/onekvm.json</c>, or <c>--config FILE</c> which must exist), kvmrc
/// (<c>var/tmp/one/etc/vmm/kvm/kvmrc</c> below <c>Paths:Root</c>, or <c>Kvmrc:Path</c> / <c>--kvmrc FILE</c>),
/// the environment (<c>ONEKVM_Section__Key</c>), the command line (<c>--Section:Key=value</c> and the
/// short options). Every key is checked against <see cref="ConfigurationSchema"/>, a list set in a
/// layer replaces the list below it (and the default), and the bound options are validated
/// (<see cref="OptionsValidator"/>). Errors name the key and where it was set.
/// </summary>
public static class ConfigurationLoader
{
    public const string DefaultJsonPath = "/etc/one/onekvm.json";
    public const string EnvironmentPrefix = "ONEKVM_";

    /// <summary>kvmrc below OpenNebula's remotes directory.</summary>
    public static readonly string KvmrcBelowRemotes = Path.Join("etc", "vmm", "kvm", "kvmrc");

    /// <summary>Loads, checks, binds and validates the options.</summary>
    public static OneKvmOptions Load(CommandLineArgs args, IDictionary<string, string?>? environmentOverride = null)
    {
        var merged = Merge(args, environmentOverride);
        var options = Bind(merged);
        OptionsValidator.Validate(options, merged);
        if (args.Verb == "serve") OptionsValidator.ValidateBindable(options, merged);
        return options;
    }

    /// <summary>The effective value and origin of every key set anywhere (case-insensitive keys).</summary>
    public static IReadOnlyDictionary<string, LocatedValue> Merge(CommandLineArgs args, IDictionary<string, string?>? environmentOverride = null)
    {
        var jsonPath = args.ConfigFile ?? DefaultJsonPath;
        var json = ReadJson(jsonPath, required: args.ConfigFile is not null);
        var environment = ConfigurationLayers.Environment(
            environmentOverride ?? System.Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
                .ToDictionary(e => (string)e.Key, e => (string?)e.Value),
            EnvironmentPrefix);
        var commandLine = ConfigurationLayers.CommandLine(args);

        // The kvmrc path can itself come from any later layer, so resolve it first without kvmrc.
        var withoutKvmrc = Merge([json, environment, commandLine]);
        var kvmrcPath = withoutKvmrc.GetValueOrDefault("Kvmrc:Path")?.Value;
        var kvmrc = ConfigurationLayers.Kvmrc(kvmrcPath ?? DefaultKvmrcPath(withoutKvmrc), required: kvmrcPath is not null);
        return Merge([json, kvmrc, environment, commandLine]);
    }

    /// <summary>Binds checked values onto the options records, applying <c>Paths:Root</c> first.</summary>
    public static OneKvmOptions Bind(IReadOnlyDictionary<string, LocatedValue> merged)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(merged.Values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value)))
            .Build();
        var root = configuration["Paths:Root"];
        var paths = root is null ? new HostPaths() : HostPaths.UnderRoot(root);
        paths = BindOver(configuration.GetSection("Paths"), paths, merged, static (c, o) => c.Bind(o, Lenient));

        var probes = BindOver(configuration.GetSection("Probes"), new ProbeSettings(), merged, static (c, o) => c.Bind(o, Lenient));
        var kvmrcVars = configuration.GetSection("Kvmrc:Vars").GetChildren()
            .ToDictionary(c => c.Key, c => c.Value ?? "", StringComparer.Ordinal);
        probes = probes with { Kvmrc = kvmrcVars };

        return new OneKvmOptions
        {
            Paths = paths,
            Libvirt = BindOver(configuration.GetSection("Libvirt"), new LibvirtOptions(), merged, static (c, o) => c.Bind(o, Lenient)),
            Probes = probes,
            Serve = BindOver(configuration.GetSection("Serve"), new ServeOptions(), merged, static (c, o) => c.Bind(o, Lenient)),
            Agent = BindOver(configuration.GetSection("Agent"), new AgentOptions(), merged, static (c, o) => c.Bind(o, Lenient)),
            Host = BindOver(configuration.GetSection("Host"), new HostReservationOptions(), merged, static (c, o) => c.Bind(o, Lenient)),
            Cgroups = BindOver(configuration.GetSection("Cgroups"), new Probes.Cgroups.CgroupAuditSettings(), merged, static (c, o) => c.Bind(o, Lenient)),
            Logging = BindOver(configuration.GetSection("Logging"), new LoggingOptions(), merged, static (c, o) => c.Bind(o, Lenient)),
        };
    }

    private static string DefaultKvmrcPath(IReadOnlyDictionary<string, LocatedValue> merged)
    {
        var remotes = merged.GetValueOrDefault("Paths:Remotes")?.Value
            ?? (merged.GetValueOrDefault("Paths:Root")?.Value is { } root ? HostPaths.UnderRoot(root).Remotes : HostPaths.Default.Remotes);
        return Path.Join(remotes, KvmrcBelowRemotes);
    }

    private static ConfigurationLayer ReadJson(string path, bool required)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            if (required) throw new FileNotFoundException($"{path}: configuration file not found", path, e);
            return new ConfigurationLayer([]);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigurationException($"{path}: cannot read the configuration file: {e.Message}");
        }
        return ConfigurationLayers.Json(path, bytes);
    }

    /// <summary>Checks each value and merges the layers; a list in a layer drops that list's elements from the layers below.</summary>
    private static Dictionary<string, LocatedValue> Merge(IEnumerable<ConfigurationLayer> layers)
    {
        var merged = new Dictionary<string, LocatedValue>(StringComparer.OrdinalIgnoreCase);
        foreach (var layer in layers)
        {
            foreach (var value in layer.Values) ConfigurationSchema.Check(value);
            var lists = layer.Values.Select(v => ConfigurationSchema.ListOf(v.Key) ?? (ConfigurationSchema.IsList(v.Key) ? v.Key : null))
                .OfType<string>().Concat(layer.EmptyLists).ToHashSet(StringComparer.OrdinalIgnoreCase);
            foreach (var key in merged.Keys.Where(k => lists.Contains(ConfigurationSchema.ListOf(k) ?? k)).ToList()) merged.Remove(key);
            foreach (var list in lists) merged[list] = new LocatedValue(list, null, "list");
            foreach (var value in layer.Values)
            {
                if (!ConfigurationSchema.IsList(value.Key)) merged[value.Key] = value;
            }
        }
        return merged;
    }

    private static void Lenient(BinderOptions options) => options.ErrorOnUnknownConfiguration = false;

    /// <summary>
    /// Binds <paramref name="section"/> over <paramref name="defaults"/>. Each caller passes its own
    /// <c>Bind</c> call on the concrete type, so the configuration binder source generator emits the
    /// binding code (no reflection binder: the executables are published with NativeAOT); the option
    /// records therefore have setters, which generated code can call.
    /// </summary>
    private static T BindOver<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)] T>(
        IConfigurationSection section, T defaults, IReadOnlyDictionary<string, LocatedValue> merged, Action<IConfigurationSection, T> bind) where T : class
    {
        // A list that is set replaces the default instead of being appended to it.
        foreach (var property in typeof(T).GetProperties())
        {
            if (property.PropertyType.IsArray && merged.ContainsKey($"{section.Path}:{property.Name}"))
                property.SetValue(defaults, Array.CreateInstanceFromArrayType(property.PropertyType, 0));
        }
        try
        {
            bind(section, defaults);
            return defaults;
        }
        catch (InvalidOperationException e)
        {
            throw new ConfigurationException($"configuration section '{section.Path}': {e.Message}");
        }
    }
}
