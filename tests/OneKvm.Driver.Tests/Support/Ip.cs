namespace OneKvm.Driver.Tests.Support;

/// <summary>The host's <c>ip</c> command (bridges for the NIC tests).</summary>
internal static class Ip
{
    public static int Run(params string[] args)
    {
        var psi = new System.Diagnostics.ProcessStartInfo("ip") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = System.Diagnostics.Process.Start(psi)!;
        p.WaitForExit();
        return p.ExitCode;
    }
}
