using System.Diagnostics;
using OneKvm.Driver.Virsh;

namespace OneKvm.Driver.Actions;

/// <summary>
/// SYNC_TIME after restore and migrate, in the background as upstream's <c>( … ) &amp;&gt;/dev/null &amp;</c>:
/// the action starts <c>onekvm-driver sync-time &lt;domain&gt; [&lt;uri&gt;]</c> in its own session, with
/// pipes of its own (nothing keeps one_vmm_exec waiting), and returns. That process tries
/// <see cref="Tries"/> times, <see cref="Pause"/> apart: stop when <c>dominfo</c> fails (the domain is
/// gone), else <c>domtime --sync</c> (bounded, <see cref="CallLimit"/>); the guest needs its agent, so
/// failures are only logged. Not an upstream script: <c>remotes</c> installs no file for it.
/// </summary>
public sealed class SyncTimeAction : DriverAction
{
    internal const int Tries = 4;

    internal static readonly TimeSpan Pause = TimeSpan.FromSeconds(5);

    internal static readonly TimeSpan CallLimit = TimeSpan.FromSeconds(20);

    public override string Name => "sync-time";

    public override string Usage => "<domain> [<libvirt_uri>]  (started by restore and migrate when SYNC_TIME=yes)";

    public override int MinArguments => 1;

    public override async Task RunAsync(IReadOnlyList<string> args, ActionContext context, CancellationToken cancellationToken)
    {
        var (domain, uri) = (args[0], args.Count > 1 ? args[1] : null);
        for (var attempt = 1; attempt <= Tries; attempt++)
        {
            try
            {
                await context.Virsh.CallAsync(new VirshCall(["dominfo", "--", domain]) { Uri = uri, Timeout = CallLimit }, cancellationToken);
            }
            catch (VirshException)
            {
                return;
            }
            try
            {
                await context.Virsh.CallAsync(new VirshCall(["domtime", "--sync", "--", domain]) { Uri = uri, Timeout = CallLimit }, cancellationToken);
                return;
            }
            catch (VirshException e)
            {
                context.Log.Info($"guest time of {domain} not synchronised ({attempt}/{Tries}): {e.Message}");
            }
            if (attempt < Tries) await Task.Delay(Pause, context.Time, cancellationToken);
        }
    }

    /// <summary>Starts the background synchronisation; a failure to start it is only logged.</summary>
    internal static void Start(ActionContext context, string domain, string? uri)
    {
        var (program, arguments) = ChildCommand(Environment.ProcessPath, Path.Join(AppContext.BaseDirectory, "onekvm-driver.dll"), domain, uri);
        var setsid = File.Exists("/usr/bin/setsid");
        var startInfo = new ProcessStartInfo(setsid ? "/usr/bin/setsid" : program)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        if (setsid) startInfo.ArgumentList.Add(program);
        foreach (var argument in arguments) startInfo.ArgumentList.Add(argument);
        try
        {
            using var child = Process.Start(startInfo);
            child?.StandardInput.Close();
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException or IOException)
        {
            context.Log.Info($"guest time of {domain} not synchronised: cannot start {program}: {e.Message}");
        }
    }

    /// <summary>The child's program and arguments: this executable, or <c>dotnet onekvm-driver.dll</c> when run through the host.</summary>
    internal static (string Program, string[] Arguments) ChildCommand(string? processPath, string assembly, string domain, string? uri)
    {
        string[] tail = uri is null ? ["sync-time", domain] : ["sync-time", domain, uri];
        var program = processPath ?? "onekvm-driver";
        return Path.GetFileNameWithoutExtension(program) == "dotnet"
            ? (program, [assembly, .. tail])
            : (program, tail);
    }
}
