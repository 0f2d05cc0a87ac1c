using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;
using OneKvm.Driver.Virsh;

namespace OneKvm.Driver.Actions;

/// <summary>
/// What deploy changes or prepares from the deployment file before <c>virsh create</c>, as upstream's
/// deploy does: <c>disk.N</c> links of file disks replaced by their targets, and the NVRAM file created
/// from kvmrc's <c>OVMF_NVRAM</c> template.
/// </summary>
internal static partial class DeploymentFile
{
    /// <summary>How long <c>qemu-img convert</c> of an NVRAM template (a few MiB) may take.</summary>
    internal static readonly TimeSpan ConvertTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Parses the deployment XML keeping its whitespace; errors name the source and line.</summary>
    public static XDocument Parse(string xml, string source)
    {
        try
        {
            return XDocument.Parse(xml, LoadOptions.PreserveWhitespace | LoadOptions.SetLineInfo);
        }
        catch (XmlException e)
        {
            throw new ActionFailedException($"{source}:{e.LineNumber}: deployment file is not well-formed XML: {e.Message}", e) { ExitCode = 255 };
        }
    }

    /// <summary>The document as text, its XML declaration kept.</summary>
    public static string Text(XDocument document) =>
        (document.Declaration is { } declaration ? declaration + "\n" : "") + document.ToString(SaveOptions.DisableFormatting);

    /// <summary>
    /// Upstream's "resolve disk.&lt;disk_id&gt; links for file-based disks": each
    /// <c>&lt;disk type='file' device='disk'&gt;&lt;source file='…/disk.N'/&gt;</c> that is a symbolic link
    /// whose target exists gets the link's target (one level, relative to the link's directory, as
    /// <c>readlink</c>). Returns the (link, target) pairs replaced.
    /// </summary>
    public static IReadOnlyList<(string Link, string Target)> ResolveDiskLinks(XDocument document)
    {
        var replaced = new List<(string, string)>();
        var sources = (document.Root?.Elements("devices").Elements("disk") ?? [])
            .Where(d => (string?)d.Attribute("type") == "file" && (string?)d.Attribute("device") == "disk")
            .Select(d => d.Element("source")?.Attribute("file"))
            .OfType<XAttribute>()
            .ToList();
        foreach (var file in sources)
        {
            var path = file.Value.TrimEnd();
            if (!DiskLink().IsMatch(path)) continue;
            string? target;
            try
            {
                target = new FileInfo(path).LinkTarget;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue;
            }
            if (target is null) continue;
            if (!Path.IsPathRooted(target)) target = Path.Join(Path.GetDirectoryName(path), target);
            if (!File.Exists(target) && !Directory.Exists(target)) continue;
            file.Value = target;
            replaced.Add((path, target));
        }
        return replaced;
    }

    /// <summary>
    /// Upstream's "create non-volatile memory to store firmware variables": when the XML names an
    /// <c>&lt;os&gt;&lt;nvram&gt;</c> file that does not exist, it is made from kvmrc's <c>OVMF_NVRAM</c>:
    /// copied, or converted with <c>qemu-img convert</c> when <c>&lt;nvram format=…&gt;</c> differs from the
    /// template's format (qcow2 by its magic, else raw). Written beside the target and renamed into
    /// place, so a failure leaves no partial file. Returns the file created, or null.
    /// </summary>
    public static async Task<string?> CreateNvramAsync(ActionContext context, XDocument document, string source, CancellationToken cancellationToken)
    {
        var nvram = document.Root?.Element("os")?.Element("nvram");
        var path = nvram?.Value.Trim();
        if (string.IsNullOrEmpty(path) || File.Exists(path)) return null;
        var failure = $"Could not create NVRAM {path} for {source}";
        if (!Path.IsPathRooted(path)) throw new ActionFailedException($"{failure}: <nvram> is not an absolute path") { ExitCode = 255 };
        var template = context.Settings.NvramTemplate;
        var format = ((string?)nvram!.Attribute("format"))?.Trim() is { Length: > 0 } f ? f : "raw";
        string templateFormat;
        try
        {
            templateFormat = IsQcow2(template) ? "qcow2" : "raw";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ActionFailedException($"{failure}: cannot read the template OVMF_NVRAM={template}: {e.Message}", e) { ExitCode = 255 };
        }

        var partial = Path.Join(Path.GetDirectoryName(path), $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.partial");
        try
        {
            if (string.Equals(format, templateFormat, StringComparison.Ordinal))
            {
                File.Copy(template, partial);
            }
            else
            {
                await ConvertAsync(failure, ["convert", "-q", "-f", templateFormat, "-O", format, template, partial], cancellationToken);
            }
            File.Move(partial, path, overwrite: false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ActionFailedException($"{failure}: {e.Message}", e) { ExitCode = 255 };
        }
        finally
        {
            Files.TryDelete(partial);
        }
        context.Log.Info($"NVRAM {path} created from {template}{(format == templateFormat ? "" : $" ({templateFormat} converted to {format})")}");
        return path;
    }

    private static async Task ConvertAsync(string failure, string[] args, CancellationToken cancellationToken)
    {
        ProcessResult result;
        try
        {
            result = await ProcessRunner.RunAsync("qemu-img", args, timeout: ConvertTimeout, cancellationToken: cancellationToken);
        }
        catch (Exception e) when (e is TimeoutException or System.ComponentModel.Win32Exception)
        {
            throw new ActionFailedException($"{failure}: qemu-img {string.Join(' ', args)}: {e.Message}", e) { ExitCode = 255 };
        }
        if (result.ExitCode != 0)
        {
            var said = VirshRunner.ErrorText(result.Stderr);
            throw new ActionFailedException($"{failure}: qemu-img {string.Join(' ', args)}: {(said.Length > 0 ? said : $"exit status {result.ExitCode}")}") { ExitCode = 255 };
        }
    }

    private static ReadOnlySpan<byte> Qcow2Magic => [0x51, 0x46, 0x49, 0xfb];

    /// <summary>qcow2 images start with <c>QFI\xfb</c>.</summary>
    private static bool IsQcow2(string path)
    {
        using var stream = File.OpenRead(path);
        Span<byte> magic = stackalloc byte[4];
        return stream.ReadAtLeast(magic, 4, throwOnEndOfStream: false) == 4 && magic.SequenceEqual(Qcow2Magic);
    }

    [GeneratedRegex(@"/disk\.[0-9]+$")]
    private static partial Regex DiskLink();
}
