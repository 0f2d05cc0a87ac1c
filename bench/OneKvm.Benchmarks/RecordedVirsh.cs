using OneKvm.Probes.Virsh;

namespace OneKvm.Benchmarks;

/// <summary>
/// <see cref="IVirsh"/> answering from the recordings of a synthetic host in process (the naming
/// rules of tests/fixtures/bin/virsh), so a benchmark measures OneKvm's own work and not fork/exec.
/// Files are read once and kept.
/// </summary>
public sealed class RecordedVirsh(string directory) : IVirsh
{
    private readonly Dictionary<string, string?> cache = new(StringComparer.Ordinal);

    public string Uri => "qemu:///system";

    public Task<string> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken = default)
    {
        var words = args.Where(a => a is not ("--readonly" or "-r")).ToList();
        if (words.Count == 1 && words[0].Contains(';', StringComparison.Ordinal))
        {
            var commands = words[0].Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            return Task.FromResult(string.Concat(commands.Select(c => Answer(c.Split(' ', StringSplitOptions.RemoveEmptyEntries)))));
        }
        return Task.FromResult(Answer(words));
    }

    private string Answer(IReadOnlyList<string> words)
    {
        var names = words.Select(w => w.TrimStart('-').Replace('/', '_')).ToList();
        for (var n = names.Count; n > 0; n--)
        {
            var name = string.Join('_', names.Take(n));
            lock (cache)
            {
                if (!cache.TryGetValue(name, out var text))
                {
                    var path = Path.Join(directory, name + ".txt");
                    cache[name] = text = File.Exists(path) ? File.ReadAllText(path) : null;
                }
                if (text is not null) return text;
            }
        }
        throw new VirshException($"no recording for 'virsh {string.Join(' ', words)}' in {directory}");
    }
}
