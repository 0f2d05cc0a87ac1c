using Microsoft.Extensions.Configuration;
using OneKvm.Cgroups;
using OneKvm.Probes;

namespace OneKvm.Collector.Configuration;

/// <summary>
/// Builds the configuration, lowest precedence first: built-in defaults, the JSON file
/// (<c>/etc/one/onekvm.json</c>, or <c>--config FILE</c> which must exist), kvmrc
/// (<c>/var/tmp/one/etc/vmm/kvm/kvmrc</c>, or <c>Kvmrc:Path</c> / <c>--kvmrc FILE</c>), the environment
/// (<c>ONEKVM_Section__Key</c>), the command line (<c>--Section:Key=value</c> and the short options).
/// </summary>
public static class ConfigurationLoader
{
    public const string DefaultJsonPath = "/etc/one/onekvm.json";
    public const string DefaultKvmrcPath = "/var/tmp/one/etc/vmm/kvm/kvmrc";
    public const string EnvironmentPrefix = "ONEKVM_";

    /// <summary>Loads and binds the options. Errors name the file (and line) at fault.</summary>
    public static OneKvmOptions Load(CommandLineArgs args, IDictionary<string, string?>? environmentOverride = null)
    {
        var configuration = Build(args, environmentOverride);
        return Bind(configuration);
    }

    public static IConfigurationRoot Build(CommandLineArgs args, IDictionary<string, string?>? environmentOverride = null)
    {
        var jsonPath = args.ConfigFile ?? DefaultJsonPath;
        var jsonRequired = args.ConfigFile is not null;
        if (jsonRequired && !File.Exists(jsonPath))
            throw new FileNotFoundException($"{jsonPath}: configuration file not found");

        // The kvmrc path can itself come from any later layer, so resolve it first without kvmrc.
        var withoutKvmrc = Layers(new ConfigurationBuilder(), jsonPath, jsonRequired, null, args, environmentOverride).Build();
        var kvmrcPath = withoutKvmrc["Kvmrc:Path"] ?? DefaultKvmrcPath;
        var kvmrcRequired = withoutKvmrc["Kvmrc:Path"] is not null;

        var kvmrc = new KvmrcConfigurationSource { Path = kvmrcPath, Required = kvmrcRequired };
        try
        {
            return Layers(new ConfigurationBuilder(), jsonPath, jsonRequired, kvmrc, args, environmentOverride).Build();
        }
        catch (InvalidDataException e) when (e.InnerException is System.Text.Json.JsonException)
        {
            throw new InvalidDataException($"{jsonPath}: {e.InnerException.Message}", e);
        }
    }

    private static ConfigurationBuilder Layers(
        ConfigurationBuilder builder,
        string jsonPath,
        bool jsonRequired,
        KvmrcConfigurationSource? kvmrc,
        CommandLineArgs args,
        IDictionary<string, string?>? environmentOverride)
    {
        builder.AddJsonFile(jsonPath, optional: !jsonRequired, reloadOnChange: false);
        if (kvmrc is not null) builder.Add(kvmrc);
        if (environmentOverride is null)
        {
            builder.AddEnvironmentVariables(EnvironmentPrefix);
        }
        else
        {
            builder.AddInMemoryCollection(environmentOverride
                .Where(kv => kv.Key.StartsWith(EnvironmentPrefix, StringComparison.Ordinal))
                .Select(kv => new KeyValuePair<string, string?>(
                    kv.Key[EnvironmentPrefix.Length..].Replace("__", ":", StringComparison.Ordinal), kv.Value)));
        }
        builder.AddInMemoryCollection(args.Settings);
        return builder;
    }

    /// <summary>Binds the configuration onto the options records, applying <c>Paths:Root</c> first.</summary>
    public static OneKvmOptions Bind(IConfiguration configuration)
    {
        var root = configuration["Paths:Root"];
        var paths = root is null ? new HostPaths() : HostPaths.UnderRoot(root);
        paths = BindOver(configuration.GetSection("Paths"), paths);

        var probes = BindOver(configuration.GetSection("Probes"), new ProbeSettings());
        var kvmrcVars = configuration.GetSection("Kvmrc:Vars").GetChildren()
            .ToDictionary(c => c.Key, c => c.Value ?? "", StringComparer.Ordinal);
        probes = probes with { Kvmrc = kvmrcVars };

        return new OneKvmOptions
        {
            Paths = paths,
            Libvirt = BindOver(configuration.GetSection("Libvirt"), new Probes.Virsh.VirshOptions()),
            Probes = probes,
            Serve = BindOver(configuration.GetSection("Serve"), new ServeOptions()),
            Agent = BindOver(configuration.GetSection("Agent"), new AgentOptions()),
            Host = BindOver(configuration.GetSection("Host"), new HostReservationOptions()),
            Cgroups = BindOver(configuration.GetSection("Cgroups"), new Probes.Audit.ShareAuditSettings()),
        };
    }

    private static T BindOver<T>(IConfigurationSection section, T defaults) where T : class
    {
        try
        {
            section.Bind(defaults, o => o.ErrorOnUnknownConfiguration = false);
            return defaults;
        }
        catch (InvalidOperationException e)
        {
            throw new InvalidDataException($"configuration section '{section.Path}': {e.Message}", e);
        }
    }
}
