using System.Collections.Concurrent;
using System.Diagnostics;

namespace OneKvm.Libvirt.Tests;

/// <summary>Bounded waits for things that arrive asynchronously (events, reconnection).</summary>
internal static class Eventually
{
    /// <summary>Waits up to <paramref name="within"/> for an item of <paramref name="seen"/> that matches.</summary>
    public static async Task<T> Arrives<T>(ConcurrentQueue<T> seen, Func<T, bool> match, TimeSpan within, string what)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < within)
        {
            var hit = seen.FirstOrDefault(match);
            if (hit is not null) return hit;
            await Task.Delay(50);
        }
        throw new Xunit.Sdk.XunitException($"{what} did not arrive within {within.TotalSeconds} s; seen: {string.Join("; ", seen)}");
    }

    /// <summary>Retries <paramref name="attempt"/> until it succeeds or <paramref name="within"/> has passed (then its last error).</summary>
    public static async Task<T> Succeeds<T>(Func<Task<T>> attempt, TimeSpan within)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return await attempt();
            }
            catch (LibvirtException) when (clock.Elapsed < within)
            {
                await Task.Delay(250);
            }
        }
    }
}
