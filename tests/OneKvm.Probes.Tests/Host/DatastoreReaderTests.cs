using OneKvm.Cgroups;
using OneKvm.Cgroups.Proc;
using OneKvm.Probes.Host;
using OneKvm.Probes.Host.Kernel;
using OneKvm.Tests;

namespace OneKvm.Probes.Tests.Host;

public sealed class DatastoreReaderTests
{
    [Fact]
    public void Read_Fixture_ListsNumericDirectoriesWithMonitorMarker()
    {
        var info = DatastoreReader.Read(HostPaths.UnderRoot(TestPaths.Host("debian12-1node")), []);
        info.Datastores.Select(d => d.Id).ShouldBe([0, 100]);
        info.Location.ShouldNotBeNull().TotalMib.ShouldBeGreaterThan(0UL);
        info.AutoNfsMounts.ShouldBeEmpty();
    }

    [Fact]
    public void Read_MissingLocation_ReportsTheFilesystemItWouldBeCreatedOn()
    {
        var root = Directory.CreateTempSubdirectory("onekvm-ds-").FullName;
        try
        {
            var info = DatastoreReader.Read(HostPaths.UnderRoot(root), []);
            info.Location.ShouldNotBeNull().TotalMib.ShouldBeGreaterThan(0UL);
            info.Datastores.ShouldBeEmpty();
            Directory.Exists(Path.Join(root, "var")).ShouldBeFalse("the probe must not create the location");
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void AutoNfsSources_TakeTheTopmostMountAtEachDirectory()
    {
        var mounts = MountInfoParser.Parse("""
            50 27 0:40 / /var/lib/one/datastores/100 rw - autofs systemd-1 rw
            51 50 0:41 / /var/lib/one/datastores/100 rw - nfs4 nas:/export/one/100 rw
            52 27 0:42 / /var/lib/one/datastores/101/sub rw - nfs4 nas:/x rw
            """);
        DatastoreReader.AutoNfsSources(["/var/lib/one/datastores/100/", "/var/lib/one/datastores/101"], mounts)
            .ShouldBe(["nas:/export/one/100"]);
    }
}
