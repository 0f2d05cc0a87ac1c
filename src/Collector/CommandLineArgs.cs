using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Parsing;

namespace OneKvm.Collector;

/// <summary>A command line that does not fit the command: one line for the user, exit 2.</summary>
public sealed class UsageException(string message) : ArgumentException(message);

/// <summary>
/// The parsed, checked command line: an optional verb (<c>agent</c>, <c>serve</c>, <c>cgroups</c>),
/// its flags and options (each accepted only by the command it belongs to, see
/// <see cref="CliCommands"/>), and configuration settings: the aliases (<c>--uri</c> →
/// <c>Libvirt:Uri</c>) and any <c>--Section:Key=VALUE</c>, with where each came from.
/// </summary>
public sealed class CommandLineArgs
{
    public string? Verb { get; private init; }

    public IReadOnlySet<string> SetFlags { get; private init; } = new HashSet<string>();

    public IReadOnlyDictionary<string, string> Options { get; private init; } = new Dictionary<string, string>();

    /// <summary>Configuration keys set on the command line (case-insensitive), later ones winning.</summary>
    public IReadOnlyDictionary<string, string?> Settings { get; private init; } = new Dictionary<string, string?>();

    /// <summary>For each key of <see cref="Settings"/>, the argument that set it (<c>argument --host-id</c>).</summary>
    public IReadOnlyDictionary<string, string> SettingOrigins { get; private init; } = new Dictionary<string, string>();

    /// <summary>Help was asked for: <c>""</c> for the main help, else the command's name.</summary>
    public string? HelpTopic { get; private init; }

    public string? ConfigFile => Options.GetValueOrDefault("config");

    public bool Has(string flag) => SetFlags.Contains(flag);

    public string? Option(string name) => Options.GetValueOrDefault(name);

    /// <summary>Parses <paramref name="args"/>; anything that does not fit is a <see cref="UsageException"/> of one line.</summary>
    public static CommandLineArgs Parse(IReadOnlyList<string> args)
    {
        var (rest, settings, origins) = TakeSettings(args);
        var symbols = new CliSymbols();
        var root = CliCommands.Build(symbols);
        var result = root.Parse(rest);
        var command = result.CommandResult.Command;
        var verb = command == root ? null : command.Name;

        if (result.CommandResult.Children.OfType<OptionResult>().Any(o => o.Option is HelpOption))
            return new CommandLineArgs { Verb = verb, HelpTopic = verb ?? "" };
        if (result.Errors.Count > 0) throw new UsageException(Describe(result, root, symbols));
        if (verb == "help")
        {
            var topic = result.GetValue(symbols.HelpTopic!);
            return new CommandLineArgs { Verb = verb, HelpTopic = topic is null or "once" ? "" : topic };
        }

        var flags = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (owner, name, option) in symbols.Flags)
        {
            if (owner == command && result.GetResult(option) is { Implicit: false }) flags.Add(name);
        }
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (owner, name, option) in symbols.Values)
        {
            if (owner == command && result.GetResult(option) is { Implicit: false }) options[name] = result.GetValue(option)!;
        }
        foreach (var (owner, alias, option) in symbols.Aliases)
        {
            if (owner != command || result.GetResult(option) is not { Implicit: false }) continue;
            // The explicit key names exactly what it sets, so it wins over the alias.
            if (settings.ContainsKey(alias.Key)) continue;
            settings[alias.Key] = result.GetValue(option);
            origins[alias.Key] = $"argument {alias.Name}";
        }
        if (verb is null && options.ContainsKey("vm") && !(options.GetValueOrDefault("category")?.Split(',').Contains("poll") ?? false))
            throw new UsageException("--vm DOMAIN goes with --category poll (cgroups has its own --vm LIST)");

        return new CommandLineArgs { Verb = verb, SetFlags = flags, Options = options, Settings = settings, SettingOrigins = origins };
    }

    /// <summary>Takes <c>--Section:Key=VALUE</c> and <c>--Section:Key VALUE</c> out of the arguments.</summary>
    private static (List<string> Remaining, Dictionary<string, string?> Settings, Dictionary<string, string> Origins) TakeSettings(IReadOnlyList<string> args)
    {
        var rest = new List<string>();
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        var origins = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            var eq = arg.IndexOf('=', StringComparison.Ordinal);
            var name = eq < 0 ? arg : arg[..eq];
            if (!arg.StartsWith("--", StringComparison.Ordinal) || !name.Contains(':', StringComparison.Ordinal))
            {
                rest.Add(arg);
                continue;
            }
            var key = name[2..];
            if (key.Length == 0 || key.StartsWith(':') || key.EndsWith(':') || key.Contains("::", StringComparison.Ordinal))
                throw new UsageException($"'{name}' is not a configuration key (--Section:Key=VALUE)");
            string value;
            if (eq >= 0)
            {
                value = arg[(eq + 1)..];
            }
            else
            {
                if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
                    throw new UsageException($"{name} needs a value (--Section:Key=VALUE)");
                value = args[++i];
            }
            settings[key] = value;
            origins[key] = $"argument {name}";
        }
        return (rest, settings, origins);
    }

    /// <summary>One line for the first error, with a suggestion where a near name exists.</summary>
    private static string Describe(ParseResult result, Command root, CliSymbols symbols)
    {
        var command = result.CommandResult.Command;
        var where = command == root ? "" : $"{command.Name}: ";
        if (result.UnmatchedTokens.Count > 0)
        {
            var token = result.UnmatchedTokens[0];
            if (token.StartsWith('-'))
            {
                var name = token.Split('=')[0];
                var owners = root.Subcommands.Prepend(root).Where(c => c != command && c.Options.Any(o => o.Name == name || o.Aliases.Contains(name)))
                    .Select(c => c == root ? "--once" : c.Name).ToList();
                if (owners.Count > 0)
                    return $"{where}{name} is not an option of {(command == root ? "--once" : command.Name)} (an option of {string.Join(", ", owners)})";
                return $"{where}unknown option '{name}'{Suggest(name, command.Options.SelectMany(o => o.Aliases.Prepend(o.Name)))} (see --help)";
            }
            var candidates = command == root
                ? root.Subcommands.Select(c => c.Name).Concat(root.Options.Select(o => o.Name))
                : command.Options.Select(o => o.Name);
            return $"{where}unexpected argument '{token}'{Suggest(token, candidates)} (see --help)";
        }
        var message = string.Join(' ', result.Errors[0].Message.Split((char[])['\n', '\t', '\r'], StringSplitOptions.RemoveEmptyEntries)).TrimEnd('.');
        if (result.Errors[0].SymbolResult is ArgumentResult { Argument: var argument } && argument == symbols.HelpTopic)
            return $"help: unknown command '{result.Tokens[^1].Value}'{Suggest(result.Tokens[^1].Value, [.. CliCommands.Verbs, "once"])}";
        return where + message;
    }

    private static string Suggest(string typed, IEnumerable<string> candidates)
    {
        var bare = typed.TrimStart('-');
        var best = candidates.Distinct(StringComparer.Ordinal)
            .Select(c => (Name: c, Distance: Levenshtein(bare, c.TrimStart('-'))))
            .Where(c => c.Distance <= Math.Max(1, bare.Length / 3))
            .OrderBy(c => c.Distance)
            .FirstOrDefault();
        return best.Name is null ? "" : $" (did you mean {best.Name}?)";
    }

    /// <summary>Edit distance (insert, delete, substitute; ordinal).</summary>
    internal static int Levenshtein(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++) previous[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
