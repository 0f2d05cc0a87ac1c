namespace OneKvm.Libvirt.Tests;

/// <summary>
/// The test assembly's own entry point (the test SDK's empty one is switched off), for
/// <see cref="NativeClientShutdownTests"/>: <c>dotnet OneKvm.Libvirt.Tests.dll shutdown MODE [URI]</c>
/// connects to URI (qemu:///system), prints <c>connected</c>, waits for a line on stdin (the test stops
/// libvirtd meanwhile), then calls with a 2 s deadline and ends as MODE says. Exit 3 when the calls
/// failed as they should, 0 if one unexpectedly succeeded, 2 on bad arguments.
/// </summary>
public static class ShutdownHelper
{
    public const int CallsFailed = 3;

    public static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(2);

    /// <summary>How the helper ends once its calls have failed.</summary>
    public static readonly string[] Modes =
    [
        // Awaits DisposeAsync, then returns from Main.
        "dispose",
        // Returns from Main with the client never disposed (its connection and callbacks still registered).
        "exit-undisposed",
        // Starts one more call and returns from Main while it is still inside libvirt.
        "exit-during-call",
    ];

    public static async Task<int> Main(string[] args)
    {
        if (args is not ["shutdown", var mode, .. var rest] || !Modes.Contains(mode) || rest.Length > 1)
        {
            await Console.Error.WriteLineAsync($"usage: shutdown {string.Join('|', Modes)} [URI]");
            return 2;
        }
        var uri = rest.Length == 1 ? rest[0] : "qemu:///system";
        var client = new NativeLibvirtClient(new LibvirtClientOptions
        {
            Uri = uri,
            CallTimeout = CallTimeout,
            KeepAliveInterval = TimeSpan.FromSeconds(1),
            KeepAliveCount = 2,
            ReconnectInitialDelay = TimeSpan.FromMilliseconds(200),
        });
        using var subscription = client.Events.Subscribe(_ => { });
        await client.ListDomainsAsync(false, CancellationToken.None);
        Console.WriteLine("connected");
        await Console.In.ReadLineAsync();

        var failed = 0;
        foreach (var call in new Func<Task>[]
        {
            () => client.GetAllDomainStatsAsync(DomainStatsGroups.State, CancellationToken.None),
            () => client.ListDomainsAsync(false, CancellationToken.None),
        })
        {
            try
            {
                await call();
                await Console.Error.WriteLineAsync("call succeeded");
            }
            catch (LibvirtException e)
            {
                failed++;
                await Console.Error.WriteLineAsync($"call failed: {e.Message}");
            }
        }
        switch (mode)
        {
            case "dispose":
                await client.DisposeAsync();
                await Console.Error.WriteLineAsync("disposed");
                break;
            case "exit-during-call":
                // A fresh client: its open is the call left inside libvirt when Main returns.
                var other = new NativeLibvirtClient(new LibvirtClientOptions { Uri = uri, CallTimeout = TimeSpan.FromMinutes(5) });
                _ = other.GetVersionAsync(CancellationToken.None);
                await Task.Delay(500);
                break;
        }
        return failed == 2 ? CallsFailed : 0;
    }
}
