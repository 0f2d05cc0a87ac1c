using OneKvm.Libvirt.Runtime;
using Shouldly;
using Xunit;

namespace OneKvm.Libvirt.Tests.Runtime;

public sealed class AtomicFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("onekvm-atomic-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    [Fact]
    public async Task Write_ReplacesTheTarget_CreatingTheDirectory_LeavingNoTemporaryFile()
    {
        var path = Path.Join(_dir, "sub", "state.json");
        AtomicFile.Write(path, "old");
        await AtomicFile.WriteAsync(path, "new ü", CancellationToken.None);
        (await File.ReadAllBytesAsync(path)).ShouldBe("new ü"u8.ToArray()); // UTF-8, no BOM
        Directory.GetFiles(Path.Join(_dir, "sub")).ShouldBe([path]);
    }

    [Fact]
    public void FailedWrite_KeepsTheOldContent_AndRemovesItsTemporaryFile()
    {
        var path = Path.Join(_dir, "state.json");
        AtomicFile.Write(path, "old");
        Should.Throw<IOException>(() => AtomicFile.Write(path, stream =>
        {
            stream.Write("half"u8);
            throw new IOException("disk full");
        }));
        File.ReadAllText(path).ShouldBe("old");
        Directory.GetFiles(_dir).ShouldBe([path]);
    }

    [Fact]
    public void Write_DoesNotFollowASymlinkPlantedAtTheTarget_ItReplacesIt()
    {
        var victim = Path.Join(_dir, "victim");
        File.WriteAllText(victim, "keep");
        var path = Path.Join(_dir, "state.json");
        File.CreateSymbolicLink(path, victim);
        AtomicFile.Write(path, "new");
        File.ReadAllText(victim).ShouldBe("keep");
        new FileInfo(path).LinkTarget.ShouldBeNull();
        File.ReadAllText(path).ShouldBe("new");
    }
}
