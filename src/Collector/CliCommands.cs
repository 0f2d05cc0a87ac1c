using System.CommandLine;
using System.CommandLine.Help;

namespace OneKvm.Collector;

/// <summary>
/// A short option that sets a configuration key (<c>--uri</c> → <c>Libvirt:Uri</c>). A
/// <paramref name="Repeatable"/> one may be given several times; its values are joined with commas.
/// </summary>
public sealed record ConfigAlias(string Name, string Key, string HelpName, string Description, string[]? OtherNames = null, bool Repeatable = false);

/// <summary>
/// The command tree of <c>onekvm-probe</c> on System.CommandLine: which options each command
/// accepts. Configuration keys (<c>--Section:Key=VALUE</c>) are taken out before parsing
/// (<see cref="CommandLineArgs"/>); every other token must be an option of the command it follows.
/// </summary>
public static class CliCommands
{
    public const string Program = "onekvm-probe";

    /// <summary>The commands besides the root's <c>--once</c>.</summary>
    public static readonly string[] Verbs = ["agent", "serve", "cgroups", "targets"];

    /// <summary>Configuration aliases every command takes.</summary>
    public static readonly ConfigAlias[] CommonAliases =
    [
        new("--uri", "Libvirt:Uri", "URI", "libvirt URI (default: kvmrc LIBVIRT_URI, else qemu:///system)"),
        new("--kvmrc", "Kvmrc:Path", "FILE", "kvmrc to read; must exist when given (default: var/tmp/one/etc/vmm/kvm/kvmrc below --root)"),
        new("--root", "Paths:Root", "DIR", "read proc/, sys/, cgroups, datastores, kvmrc below DIR (fixture trees, a container's host mounts)"),
        new("--datastores", "Paths:DatastoreLocation", "DIR", "OpenNebula DATASTORE_LOCATION (default /var/lib/one/datastores)"),
        new("--host-id", "Probes:HostId", "N", "OpenNebula host id (default -1)"),
        new("--state-dir", "Probes:StateDirectory", "DIR", "state kept between runs (default /var/tmp/one_db/onekvm)"),
        new("--log-level", "Logging:Level", "LEVEL", "trace, debug (each libvirt call and its duration), information, warning, error (default information)"),
    ];

    /// <summary>The options of <c>serve</c>: new exporter options go here.</summary>
    public static readonly ConfigAlias[] ServeAliases =
    [
        new("--web.listen-address", "Serve:Listen", "ADDR:PORT",
            "listen address (Serve:Listen, default 0.0.0.0:9926; [::]:9926 for IPv4 and IPv6; localhost:9926); repeat it or separate with commas to listen on several",
            OtherNames: ["--listen"], Repeatable: true),
        new("--web.config.file", "Serve:WebConfigFile", "FILE", "exporter-toolkit web configuration: TLS and basic auth (Serve:WebConfigFile; default plain HTTP)"),
    ];

    /// <summary>The configuration options of <c>cgroups</c>.</summary>
    public static readonly ConfigAlias[] CgroupsAliases =
    [
        new("--window", "Cgroups:WindowSeconds", "SECONDS", "seconds between the audit's two reads (Cgroups:WindowSeconds, default 5)"),
    ];

    /// <summary>Builds the tree; <paramref name="symbols"/> collects the options by the name <see cref="CommandLineArgs"/> uses.</summary>
    public static Command Build(CliSymbols symbols)
    {
        var root = new Command(Program, HelpText.RootIntro);
        root.SetAction(_ => 0); // without an action System.CommandLine insists on a command; Entry decides instead
        AddCommon(root, symbols);
        root.Add(symbols.Flag(root, "once", "--once", "print OpenNebula probe output once (stdout) and exit"));
        root.Add(symbols.Value(root, "category", "--category", "LIST",
            "comma-separated categories: system_host, monitor_host, beacon_host, monitor_vm, state_vm; poll with --vm (default: all but poll)"));
        root.Add(symbols.Value(root, "vm", "--vm", "DOMAIN", "the domain of --category poll"));
        root.Add(symbols.Flag(root, "version", "--version", "print version and commit"));

        var agent = new Command("agent", HelpText.AgentIntro);
        AddCommon(agent, symbols);
        root.Add(agent);

        var serve = new Command("serve", HelpText.ServeIntro);
        AddCommon(serve, symbols);
        foreach (var alias in ServeAliases) serve.Add(symbols.Alias(serve, alias));
        root.Add(serve);

        var cgroups = new Command("cgroups", HelpText.CgroupsIntro);
        AddCommon(cgroups, symbols);
        var format = symbols.Value(cgroups, "format", "--format", "FORMAT", "table (default) or json");
        format.AcceptOnlyFromAmong("table", "json");
        cgroups.Add(format);
        cgroups.Add(symbols.Flag(cgroups, "fix", "--fix", "set drifted shares through libvirt and report before/after"));
        cgroups.Add(symbols.Value(cgroups, "vm", "--vm", "LIST", "only list (and fix) these comma-separated running domains"));
        foreach (var alias in CgroupsAliases) cgroups.Add(symbols.Alias(cgroups, alias));
        root.Add(cgroups);

        // targets runs on the front-end from `onehost list -x`: no host configuration, so no common options.
        var targets = new Command("targets", HelpText.TargetsIntro);
        targets.Add(new HelpOption());
        targets.Add(symbols.Value(targets, "hosts", "--hosts", "FILE", "the host pool XML of `onehost list -x` (default - = stdin)"));
        targets.Add(symbols.Value(targets, "output", "--output", "FILE", "replace FILE atomically instead of writing to stdout"));
        targets.Add(symbols.Value(targets, "port", "--port", "N", "exporter port of the targets (default 9926)"));
        targets.Add(symbols.Flag(targets, "all", "--all", "also disabled (STATE 4) and offline (STATE 8) hosts"));
        root.Add(targets);

        var help = new Command("help", "help of one command");
        var topic = new Argument<string?>("COMMAND") { Arity = ArgumentArity.ZeroOrOne, Description = "agent, serve, cgroups, targets or once" };
        topic.AcceptOnlyFromAmong([.. Verbs, "once"]);
        help.Add(topic);
        symbols.HelpTopic = topic;
        root.Add(help);
        return root;
    }

    private static void AddCommon(Command command, CliSymbols symbols)
    {
        command.Add(new HelpOption());
        command.Add(symbols.Value(command, "config", "--config", "FILE", "JSON configuration file; must exist when given (default /etc/one/onekvm.json)"));
        foreach (var alias in CommonAliases) command.Add(symbols.Alias(command, alias));
    }
}

/// <summary>The options of one built tree, by command and by the name the commands read them by.</summary>
public sealed class CliSymbols
{
    private readonly List<(Command Command, string Name, Option Option)> _flags = [];
    private readonly List<(Command Command, string Name, Option<string> Option)> _values = [];
    private readonly List<(Command Command, ConfigAlias Alias, Option Option)> _aliases = [];

    public Argument<string?>? HelpTopic { get; set; }

    public IEnumerable<(Command Command, string Name, Option Option)> Flags => _flags;

    public IEnumerable<(Command Command, string Name, Option<string> Option)> Values => _values;

    /// <summary>The alias options: <c>Option&lt;string[]&gt;</c> when the alias is repeatable, else <c>Option&lt;string&gt;</c>.</summary>
    public IEnumerable<(Command Command, ConfigAlias Alias, Option Option)> Aliases => _aliases;

    public Option<bool> Flag(Command command, string name, string option, string description)
    {
        var flag = new Option<bool>(option) { Description = description, Arity = ArgumentArity.Zero };
        _flags.Add((command, name, flag));
        return flag;
    }

    public Option<string> Value(Command command, string name, string option, string helpName, string description)
    {
        var value = new Option<string>(option) { Description = description, HelpName = helpName };
        _values.Add((command, name, value));
        return value;
    }

    public Option Alias(Command command, ConfigAlias alias)
    {
        Option value = alias.Repeatable
            ? new Option<string[]>(alias.Name, alias.OtherNames ?? [])
            {
                Description = alias.Description,
                HelpName = alias.HelpName,
                Arity = ArgumentArity.OneOrMore,
                AllowMultipleArgumentsPerToken = false,
            }
            : new Option<string>(alias.Name, alias.OtherNames ?? []) { Description = alias.Description, HelpName = alias.HelpName };
        _aliases.Add((command, alias, value));
        return value;
    }

    /// <summary>The value an alias option was given: a repeatable one's values joined with commas.</summary>
    public static string? AliasValue(ParseResult result, Option option) => option switch
    {
        Option<string[]> list => result.GetValue(list) is { } values ? string.Join(',', values) : null,
        Option<string> single => result.GetValue(single),
        _ => null,
    };
}
