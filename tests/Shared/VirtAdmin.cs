using System.Diagnostics;
using System.Globalization;

namespace OneKvm.Tests;

/// <summary>libvirtd's clients as <c>virt-admin</c> lists them: counts a process's libvirt connections from outside.</summary>
internal static class VirtAdmin
{
    /// <summary>One client connection of libvirtd.</summary>
    public sealed record Client(string Id, bool ReadOnly);

    /// <summary>libvirtd's clients whose <c>unix_process_id</c> is <paramref name="pid"/>.</summary>
    public static List<Client> ClientsOf(int pid)
    {
        var text = pid.ToString(CultureInfo.InvariantCulture);
        var ids = Run("srv-clients-list", "libvirtd").Split('\n')
            .Select(l => l.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(f => f.Length > 0 && f[0].All(char.IsAsciiDigit))
            .Select(f => f[0]);
        var clients = new List<Client>();
        foreach (var id in ids)
        {
            var info = Run("client-info", "libvirtd", id).Split('\n')
                .Select(l => l.Split(':', 2))
                .Where(kv => kv.Length == 2)
                .ToDictionary(kv => kv[0].Trim(), kv => kv[1].Trim());
            if (info.GetValueOrDefault("unix_process_id") == text) clients.Add(new Client(id, info.GetValueOrDefault("readonly") == "yes"));
        }
        return clients;
    }

    public static string Run(params string[] args)
    {
        var psi = new ProcessStartInfo("virt-admin") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["LC_ALL"] = "C";
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return stdout;
    }
}
