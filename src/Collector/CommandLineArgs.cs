namespace OneKvm.Collector;

/// <summary>
/// The parsed command line: an optional verb (<c>agent</c>, <c>serve</c>, <c>cgroups</c>), flags,
/// command options, and configuration settings. Short options map onto configuration keys
/// (<c>--uri</c> → <c>Libvirt:Uri</c>); any key can be set as <c>--Section:Key=value</c>.
/// </summary>
public sealed class CommandLineArgs
{
    private static readonly HashSet<string> Verbs = ["agent", "serve", "cgroups", "help"];

    private static readonly HashSet<string> Flags = ["help", "once", "fix", "version"];

    /// <summary>Options that are the command's own (not configuration).</summary>
    private static readonly HashSet<string> CommandOptions = ["category", "format", "vm", "config"];

    /// <summary>Short options that set a configuration key.</summary>
    private static readonly Dictionary<string, string> ConfigAliases = new(StringComparer.Ordinal)
    {
        ["uri"] = "Libvirt:Uri",
        ["virsh"] = "Libvirt:Path",
        ["kvmrc"] = "Kvmrc:Path",
        ["root"] = "Paths:Root",
        ["listen"] = "Serve:Listen",
        ["host-id"] = "Probes:HostId",
        ["state-dir"] = "Probes:StateDirectory",
        ["datastores"] = "Paths:DatastoreLocation",
        ["window"] = "Cgroups:WindowSeconds",
    };

    public string? Verb { get; private init; }

    public IReadOnlySet<string> SetFlags { get; private init; } = new HashSet<string>();

    public IReadOnlyDictionary<string, string> Options { get; private init; } = new Dictionary<string, string>();

    public IReadOnlyDictionary<string, string?> Settings { get; private init; } = new Dictionary<string, string?>();

    public string? ConfigFile => Options.GetValueOrDefault("config");

    public bool Has(string flag) => SetFlags.Contains(flag);

    public string? Option(string name) => Options.GetValueOrDefault(name);

    /// <summary>Parses <paramref name="args"/>; an unknown option or a missing value is an <see cref="ArgumentException"/>.</summary>
    public static CommandLineArgs Parse(IReadOnlyList<string> args)
    {
        string? verb = null;
        var flags = new HashSet<string>(StringComparer.Ordinal);
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);

        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg is "-h" or "-?")
            {
                flags.Add("help");
                continue;
            }
            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                if (verb is null && i == 0 && Verbs.Contains(arg))
                {
                    verb = arg;
                    continue;
                }
                throw new ArgumentException($"unexpected argument '{arg}' (see --help)");
            }

            var body = arg[2..];
            string name;
            string? value = null;
            var eq = body.IndexOf('=', StringComparison.Ordinal);
            if (eq >= 0)
            {
                name = body[..eq];
                value = body[(eq + 1)..];
            }
            else
            {
                name = body;
            }

            if (Flags.Contains(name))
            {
                if (value is not null) throw new ArgumentException($"option --{name} takes no value");
                flags.Add(name);
                continue;
            }

            var isConfigKey = name.Contains(':', StringComparison.Ordinal);
            if (!isConfigKey && !CommandOptions.Contains(name) && !ConfigAliases.ContainsKey(name))
                throw new ArgumentException($"unknown option '--{name}' (see --help)");

            if (value is null)
            {
                if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
                    throw new ArgumentException($"option --{name} needs a value");
                value = args[++i];
            }

            if (isConfigKey) settings[name] = value;
            else if (ConfigAliases.TryGetValue(name, out var key)) settings[key] = value;
            else options[name] = value;
        }

        return new CommandLineArgs { Verb = verb, SetFlags = flags, Options = options, Settings = settings };
    }
}
