using System.Xml;
using System.Xml.Linq;

namespace OneKvm.Driver.Actions;

/// <summary>
/// <c>deploy &lt;deployment_file&gt; &lt;host&gt; &lt;vm_id&gt;</c>: the domain XML comes on stdin (or, with empty
/// stdin, is already in the file); it is checked to be well-formed, written atomically to the
/// deployment file, and started as a transient domain with <c>virsh create</c>. Prints the domain UUID,
/// which oned stores as DEPLOY_ID.
/// </summary>
public sealed class DeployAction : DriverAction
{
    public override string Name => "deploy";

    public override string Usage => "<deployment_file> [<host> <vm_id>]  (domain XML on stdin)";

    public override int MinArguments => 1;

    public override async Task RunAsync(IReadOnlyList<string> args, ActionContext context, CancellationToken cancellationToken)
    {
        var file = args[0];
        var xml = await context.Stdin.ReadToEndAsync(cancellationToken);
        if (string.IsNullOrWhiteSpace(xml))
        {
            if (!File.Exists(file) || new FileInfo(file).Length == 0)
                throw new ActionFailedException($"Cannot open deployment file {file}");
            xml = await File.ReadAllTextAsync(file, cancellationToken);
        }
        else
        {
            Validate(xml, "domain XML on stdin");
            await WriteAtomicallyAsync(file, xml, cancellationToken);
        }

        var name = Validate(xml, file);
        try
        {
            await context.Virsh.RunAsync(["create", file], cancellationToken);
        }
        catch (Virsh.VirshException e)
        {
            throw new ActionFailedException($"Could not create domain from {file}: {e.Message}", e);
        }
        var uuid = (await context.Virsh.RunAsync(["domuuid", name], cancellationToken)).Trim();
        await context.Stdout.WriteLineAsync(uuid);
    }

    /// <summary>Checks the document is a libvirt domain and returns its name; errors name the source and line.</summary>
    internal static string Validate(string xml, string source)
    {
        XDocument document;
        try
        {
            document = XDocument.Parse(xml, LoadOptions.SetLineInfo);
        }
        catch (XmlException e)
        {
            throw new ActionFailedException($"{source}:{e.LineNumber}: deployment file is not well-formed XML: {e.Message}", e);
        }
        if (document.Root?.Name.LocalName != "domain")
            throw new ActionFailedException($"{source}: root element is <{document.Root?.Name.LocalName}>, not <domain>");
        var name = document.Root.Element("name")?.Value.Trim();
        if (string.IsNullOrEmpty(name)) throw new ActionFailedException($"{source}: <domain> has no <name>");
        return name;
    }

    private static async Task WriteAtomicallyAsync(string file, string xml, CancellationToken cancellationToken)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(file))!;
        Directory.CreateDirectory(directory);
        var temporary = Path.Join(directory, $".{Path.GetFileName(file)}.{Environment.ProcessId}.tmp");
        try
        {
            await File.WriteAllTextAsync(temporary, xml, cancellationToken);
            File.Move(temporary, file, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
    }
}
