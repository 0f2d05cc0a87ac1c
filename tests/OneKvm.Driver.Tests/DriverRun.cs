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

    public async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string stdin, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await DriverEntry.RunAsync(args, new StringReader(stdin), stdout, stderr,
            name => name switch
            {
                "ONEKVM_KVMRC" => Kvmrc,
                "ONEKVM_VIRSH" => VirshPath,
                _ => null,
            });
        return (code, stdout.ToString(), stderr.ToString());
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
