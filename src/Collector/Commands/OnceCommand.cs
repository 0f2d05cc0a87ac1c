using OneKvm.Cgroups;
using OneKvm.Collector.Configuration;
using OneKvm.Probes;
using OneKvm.Libvirt;

namespace OneKvm.Collector.Commands;

/// <summary>
/// <c>onekvm-probe --once [--category LIST]</c>: runs the chosen categories once and prints their
/// payloads to stdout. A failing category prints one line on stderr naming it; the others are still
/// printed; the exit code is then 1.
/// </summary>
public static class OnceCommand
{
    /// <summary>Longer than any <c>--once</c> run takes between its first and last category.</summary>
    private static readonly TimeSpan OnceSampleMaxAge = TimeSpan.FromMinutes(1);

    public static async Task<int> RunAsync(
        CommandLineArgs args, OneKvmOptions options, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken,
        TimeProvider? time = null)
    {
        IReadOnlyList<ICategory> categories;
        try
        {
            categories = args.Option("category") is { } list
                ? CategoryCatalog.Select(list.Split(','))
                : CategoryCatalog.All.Where(c => !CategoryCatalog.OnRequestOnly.Contains(c.Name)).ToList();
        }
        catch (ArgumentException e)
        {
            await stderr.WriteLineAsync($"onekvm-probe: {e.Message}");
            return 2;
        }

        if (!Directory.Exists(options.Paths.Proc))
        {
            await stderr.WriteLineAsync($"onekvm-probe: {options.Paths.Proc}: proc root not found or not readable");
            return 1;
        }

        ILibvirtClient libvirt;
        try
        {
            libvirt = LibvirtClientFactory.Create(options.Libvirt, time ?? TimeProvider.System);
        }
        catch (LibvirtException e)
        {
            await stderr.WriteLineAsync($"onekvm-probe: {e.Message}");
            return 1;
        }
        await using var connection = libvirt;
        // Every category of this run is projected from the same domain snapshot.
        var context = ContextFactory.Create(options with { Probes = options.Probes with { PollDomain = args.Option("vm") } },
            libvirt, OnceSampleMaxAge, time, stderr);
        var failed = 0;
        foreach (var category in categories)
        {
            try
            {
                var text = await category.RenderAsync(context, cancellationToken);
                await stdout.WriteAsync(text);
            }
            catch (PartialCategoryException e)
            {
                failed++;
                await stdout.WriteAsync(e.PartialPayload);
                await stderr.WriteLineAsync($"onekvm-probe: {category.Name}: incomplete: {e.Message}");
            }
            catch (Exception e) when (e is ProbeException or LibvirtException or KernelFileException or FormatException or IOException or UnauthorizedAccessException)
            {
                failed++;
                await stderr.WriteLineAsync($"onekvm-probe: {category.Name}: {e.Message}");
            }
        }
        await stdout.FlushAsync(cancellationToken);
        return failed == 0 ? 0 : 1;
    }
}
