namespace OneKvm.Driver.Tests;

/// <summary>Runs <see cref="DriverEntry"/> in-process with a kvmrc written for the test.</summary>
internal sealed class DriverRun : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("onekvm-driver-").FullName;

    public DriverRun(string kvmrc = "")
    {
        Kvmrc = Path.Join(_dir, "kvmrc");
        File.WriteAllText(Kvmrc, kvmrc);
    }

    public string Kvmrc { get; }

    public string Dir => _dir;

    public string? VirshPath { get; init; }

    /// <summary>
    /// Variables for the stand-in virsh only (its fixture directory, its call log): set in a wrapper
    /// script around <see cref="VirshPath"/>, never in this process's environment, which tests running
    /// in parallel share.
    /// </summary>
    public IReadOnlyDictionary<string, string> VirshEnvironment { get; init; } = new Dictionary<string, string>();

    private string? Virsh()
    {
        if (VirshPath is null || VirshEnvironment.Count == 0) return VirshPath;
        var wrapper = Path.Join(_dir, "virsh");
        static string Quote(string s) => "'" + s.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
        File.WriteAllText(wrapper, "#!/bin/sh\n"
            + string.Concat(VirshEnvironment.Select(e => $"export {e.Key}={Quote(e.Value)}\n"))
            + $"exec {Quote(VirshPath)} \"$@\"\n");
        File.SetUnixFileMode(wrapper, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return wrapper;
    }

    public async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string stdin, params string[] args)
    {
        var virsh = Virsh();
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await DriverEntry.RunAsync(args, new StringReader(stdin), stdout, stderr,
            name => name switch
            {
                "ONEKVM_KVMRC" => Kvmrc,
                "ONEKVM_VIRSH" => virsh,
                _ => null,
            });
        return (code, stdout.ToString(), stderr.ToString());
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
