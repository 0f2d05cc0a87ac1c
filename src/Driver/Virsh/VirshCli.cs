using System.ComponentModel;

namespace OneKvm.Driver.Virsh;

/// <summary><see cref="IVirsh"/> over the <c>virsh</c> program.</summary>
public sealed class VirshCli(VirshOptions options) : IVirsh
{
    public string Uri => options.Uri;

    public async Task<string> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken = default)
    {
        string[] argv = ["--connect", options.Uri, .. args];
        var command = $"virsh {string.Join(' ', args)}";
        ProcessResult result;
        try
        {
            result = await ProcessRunner.RunAsync(
                options.Path, argv, TimeSpan.FromSeconds(options.TimeoutSeconds), null, cancellationToken);
        }
        catch (TimeoutException)
        {
            throw new VirshException(
                $"libvirt at {options.Uri} did not answer: '{command}' was killed after {options.TimeoutSeconds:0.###} s")
            { TimedOut = true };
        }
        catch (Win32Exception e)
        {
            throw new VirshException($"cannot run '{options.Path}' for libvirt at {options.Uri}: {e.Message}", e);
        }

        if (result.ExitCode != 0)
        {
            var error = FirstErrorLine(result.Stderr);
            throw new VirshException($"'{command}' failed for libvirt at {options.Uri}: {error}")
            { ExitCode = result.ExitCode };
        }
        return result.Stdout;
    }

    /// <summary>virsh prints "error: failed to connect…" then "error: …detail"; keep them on one line.</summary>
    internal static string FirstErrorLine(string stderr)
    {
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.Length == 0 ? "no error text" : string.Join("; ", lines.Select(l => l.StartsWith("error: ", StringComparison.Ordinal) ? l[7..] : l));
    }
}
