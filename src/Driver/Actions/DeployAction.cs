using System.Xml.Linq;
using OneKvm.Driver.Virsh;

namespace OneKvm.Driver.Actions;

/// <summary>
/// <c>deploy &lt;deployment_file&gt; &lt;host&gt; &lt;vm_id&gt;</c>: the domain XML comes on stdin (or, with empty
/// stdin, is already in the file); it is checked to be well-formed, its <c>disk.N</c> links of file
/// disks are replaced by their targets (<see cref="DeploymentFile"/>), it is written atomically to the
/// deployment file, a missing NVRAM file is made from kvmrc's OVMF_NVRAM, and the domain is started
/// as a transient domain with <c>virsh create</c>. Not done: vGPU (<c>vgpu CREATE</c>) and vTPM recovery. Prints the domain UUID,
/// which oned stores as DEPLOY_ID, then redefines the snapshots kept as <c>snap-*.xml</c> next to the
/// deployment file (<see cref="SnapshotFiles"/>). Upstream's failure: <c>Could not create domain from FILE</c>, exit 255.
/// </summary>
public sealed class DeployAction : DriverAction
{
    public override string Name => "deploy";

    public override string Usage => "<deployment_file> [<host> <vm_id>]  (domain XML on stdin)";

    public override int MinArguments => 1;

    public override int? DomainArgument => null;

    public override async Task RunAsync(IReadOnlyList<string> args, ActionContext context, CancellationToken cancellationToken)
    {
        var file = args[0];
        var xml = await context.Stdin.ReadToEndAsync(cancellationToken);
        var fromStdin = !string.IsNullOrWhiteSpace(xml);
        if (!fromStdin)
        {
            if (!File.Exists(file) || new FileInfo(file).Length == 0)
                throw new ActionFailedException($"Cannot open deployment file {file}") { ExitCode = 255 };
            try
            {
                xml = await File.ReadAllTextAsync(file, cancellationToken);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new ActionFailedException($"Cannot open deployment file {file}: {e.Message}", e) { ExitCode = 255 };
            }
        }

        var source = fromStdin ? "domain XML on stdin" : file;
        var document = DeploymentFile.Parse(xml, source);
        var name = Names.Domain(Validate(document, source));
        var links = DeploymentFile.ResolveDiskLinks(document);
        foreach (var (link, target) in links) context.Log.Info($"disk source {link} -> {target}");
        if (links.Count > 0) xml = DeploymentFile.Text(document);
        if (fromStdin || links.Count > 0) await Files.WriteAtomicallyAsync(file, xml, "deployment file", cancellationToken);

        if (context.Settings.CleanupMemoryOnStart) await MemoryCleanup.RunAsync(context, cancellationToken);
        await DeploymentFile.CreateNvramAsync(context, document, file, cancellationToken);
        var create = new VirshCall(["create", "--", file])
        {
            Job = true,
            Timeout = context.Settings.JobTimeout,
            OnTimeout = async () =>
            {
                context.Log.Warn($"{name} not created after {context.Settings.JobTimeout!.Value.TotalSeconds:0} s (ONEKVM_JOB_TIMEOUT): destroying it");
                try
                {
                    await context.Virsh.CallAsync(new VirshCall(["destroy", "--", name]) { Timeout = TimeSpan.FromSeconds(30) });
                }
                catch (VirshException e)
                {
                    context.Log.Error($"destroy {name}: {e.Message}");
                }
            },
        };
        await context.RunAsync($"Could not create domain from {file}", create, cancellationToken, exitCode: 255);
        var uuid = (await context.RunAsync($"Could not read the UUID of {name}", ["domuuid", "--", name], cancellationToken, exitCode: 255)).Trim();
        await context.Stdout.WriteLineAsync(uuid);

        var directory = Path.GetDirectoryName(Path.GetFullPath(file))!;
        await SnapshotFiles.RedefineAllAsync(context, name, directory, uuid, cancellationToken);
    }

    /// <summary>Checks the document is a libvirt domain and returns its name; errors name the source and line.</summary>
    internal static string Validate(string xml, string source) => Validate(DeploymentFile.Parse(xml, source), source);

    private static string Validate(XDocument document, string source)
    {
        if (document.Root?.Name.LocalName != "domain")
            throw new ActionFailedException($"{source}: root element is <{document.Root?.Name.LocalName}>, not <domain>") { ExitCode = 255 };
        var name = document.Root.Element("name")?.Value.Trim();
        if (string.IsNullOrEmpty(name)) throw new ActionFailedException($"{source}: <domain> has no <name>") { ExitCode = 255 };
        return name;
    }
}
