using OneKvm.Driver.Actions;
using OneKvm.Driver.Virsh;

namespace OneKvm.Driver.Tests.Actions;

/// <summary>Deploy's preparation of the deployment file, on real files, links and the real qemu-img.</summary>
public sealed class DeploymentFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("onekvm-deployfile-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Domain(string devices, string os = "") =>
        $"<domain type='qemu'>\n\t<name>one-7</name>\n{os}\t<devices>\n{devices}\t</devices>\n</domain>";

    private static string FileDisk(string path, string device = "disk", string type = "file") =>
        $"\t\t<disk type='{type}' device='{device}'><source {(type == "block" ? "dev" : "file")}='{path}'/><target dev='vda'/></disk>\n";

    [Fact]
    public void ResolveDiskLinks_AbsoluteAndRelativeLinks_ReplacedByTheirTargets()
    {
        var image = Path.Join(_dir, "image-1");
        File.WriteAllText(image, "");
        Directory.CreateDirectory(Path.Join(_dir, "disk.1.snap"));
        File.WriteAllText(Path.Join(_dir, "disk.1.snap", "0"), "");
        File.CreateSymbolicLink(Path.Join(_dir, "disk.0"), image);
        File.CreateSymbolicLink(Path.Join(_dir, "disk.1"), "disk.1.snap/0");
        var document = DeploymentFile.Parse(Domain(FileDisk(Path.Join(_dir, "disk.0")) + FileDisk(Path.Join(_dir, "disk.1"))), "d");

        var replaced = DeploymentFile.ResolveDiskLinks(document);

        replaced.ShouldBe([(Path.Join(_dir, "disk.0"), image), (Path.Join(_dir, "disk.1"), Path.Join(_dir, "disk.1.snap/0"))]);
        var text = DeploymentFile.Text(document);
        text.ShouldContain($"<source file=\"{image}\" />");
        text.ShouldContain($"<source file=\"{_dir}/disk.1.snap/0\" />");
        text.ShouldContain("\t\t<disk"); // whitespace kept
    }

    [Fact]
    public void ResolveDiskLinks_WhatUpstreamLeaves_IsLeft()
    {
        File.WriteAllText(Path.Join(_dir, "disk.0"), ""); // a plain file
        File.CreateSymbolicLink(Path.Join(_dir, "disk.1"), Path.Join(_dir, "gone")); // dangling link
        File.WriteAllText(Path.Join(_dir, "target"), "");
        File.CreateSymbolicLink(Path.Join(_dir, "disk.2"), Path.Join(_dir, "target")); // a CD-ROM
        File.CreateSymbolicLink(Path.Join(_dir, "disk.3"), Path.Join(_dir, "target")); // a block disk
        File.CreateSymbolicLink(Path.Join(_dir, "other"), Path.Join(_dir, "target")); // not disk.N
        var xml = Domain(FileDisk(Path.Join(_dir, "disk.0")) + FileDisk(Path.Join(_dir, "disk.1")) + FileDisk(Path.Join(_dir, "disk.2"), "cdrom")
            + FileDisk(Path.Join(_dir, "disk.3"), type: "block") + FileDisk(Path.Join(_dir, "other")));
        var document = DeploymentFile.Parse(xml, "d");

        DeploymentFile.ResolveDiskLinks(document).ShouldBeEmpty();
    }

    [Fact]
    public void Parse_Malformed_NamesSourceAndLine()
    {
        var e = Should.Throw<ActionFailedException>(() => DeploymentFile.Parse("<domain>\n<name>one-7</name>\n<devices>\n</domain>", "/ds/0/7/deployment.0"));
        e.Message.ShouldStartWith("/ds/0/7/deployment.0:4: deployment file is not well-formed XML");
        e.ExitCode.ShouldBe(255);
    }

    private static ActionContext Context(string template) => new(
        new VirshRunner(new VirshOptions()), new DriverSettings { NvramTemplate = template }, new DriverLog(new StringWriter(), "deploy"),
        new StringReader(""), new StringWriter(), TimeProvider.System);

    private string Template()
    {
        var template = Path.Join(_dir, "OVMF_VARS.fd");
        File.WriteAllBytes(template, Enumerable.Range(0, 128 * 1024).Select(i => (byte)(i % 251)).ToArray());
        return template;
    }

    [Fact]
    public async Task CreateNvram_Missing_CopiedFromTheTemplate()
    {
        var template = Template();
        var nvram = Path.Join(_dir, "one-7_VARS.fd");
        var document = DeploymentFile.Parse(Domain("", $"\t<os><loader readonly='yes' type='pflash'>/x/OVMF_CODE.fd</loader><nvram>{nvram}</nvram></os>\n"), "d");

        (await DeploymentFile.CreateNvramAsync(Context(template), document, "d", CancellationToken.None)).ShouldBe(nvram);

        File.ReadAllBytes(nvram).ShouldBe(File.ReadAllBytes(template));
        Directory.GetFiles(_dir, "*.partial").ShouldBeEmpty();
    }

    [Fact]
    public async Task CreateNvram_Existing_Kept()
    {
        var nvram = Path.Join(_dir, "one-7_VARS.fd");
        File.WriteAllText(nvram, "the guest's variables");
        var document = DeploymentFile.Parse(Domain("", $"\t<os><nvram>{nvram}</nvram></os>\n"), "d");

        (await DeploymentFile.CreateNvramAsync(Context(Template()), document, "d", CancellationToken.None)).ShouldBeNull();

        File.ReadAllText(nvram).ShouldBe("the guest's variables");
    }

    [Fact]
    public async Task CreateNvram_Qcow2Requested_ConvertedWithQemuImg()
    {
        var template = Template();
        var nvram = Path.Join(_dir, "one-7_VARS.qcow2");
        var document = DeploymentFile.Parse(Domain("", $"\t<os><nvram format='qcow2'>{nvram}</nvram></os>\n"), "d");

        await DeploymentFile.CreateNvramAsync(Context(template), document, "d", CancellationToken.None);

        File.ReadAllBytes(nvram)[..4].ShouldBe("QFI"u8.ToArray().Append((byte)0xfb).ToArray());
        // Converted back, the variables are the template's bytes.
        var back = Path.Join(_dir, "back.raw");
        var result = await ProcessRunner.RunAsync("qemu-img", ["convert", "-f", "qcow2", "-O", "raw", nvram, back]);
        result.ExitCode.ShouldBe(0, result.Stderr);
        File.ReadAllBytes(back).ShouldBe(File.ReadAllBytes(template));
    }

    [Fact]
    public async Task CreateNvram_NoTemplate_FailsNamingItAndLeavesNothing()
    {
        var nvram = Path.Join(_dir, "one-7_VARS.fd");
        var document = DeploymentFile.Parse(Domain("", $"\t<os><nvram>{nvram}</nvram></os>\n"), "d");
        var missing = Path.Join(_dir, "no-such-OVMF_VARS.fd");

        var e = await Should.ThrowAsync<ActionFailedException>(() => DeploymentFile.CreateNvramAsync(Context(missing), document, "/ds/deployment.0", CancellationToken.None));

        e.Message.ShouldStartWith($"Could not create NVRAM {nvram} for /ds/deployment.0: cannot read the template OVMF_NVRAM={missing}: ");
        e.ExitCode.ShouldBe(255);
        Directory.GetFiles(_dir).ShouldBeEmpty();
    }

    [Fact]
    public async Task CreateNvram_QemuImgRefuses_FailsWithItsReasonAndLeavesNothing()
    {
        var nvram = Path.Join(_dir, "one-7_VARS.fd");
        var document = DeploymentFile.Parse(Domain("", $"\t<os><nvram format='nosuchformat'>{nvram}</nvram></os>\n"), "d");
        var template = Template();

        var e = await Should.ThrowAsync<ActionFailedException>(() => DeploymentFile.CreateNvramAsync(Context(template), document, "d", CancellationToken.None));

        e.Message.ShouldStartWith($"Could not create NVRAM {nvram} for d: qemu-img convert -q -f raw -O nosuchformat ");
        e.Message.ShouldContain("nosuchformat");
        Directory.GetFiles(_dir).ShouldBe([template]);
    }
}
