using OneKvm.Driver.Actions;

namespace OneKvm.Driver.Tests.Actions;

public sealed class RestoreActionTests
{
    private const string Saved = """
        <domain type='qemu'>
          <name>one-42</name>
          <metadata><one:vm xmlns:one="http://opennebula.org/xmlns/libvirt/1.0"><one:system_datastore>/var/lib/one//datastores/0/42</one:system_datastore></one:vm></metadata>
          <devices>
            <disk type='file' device='disk'><source file='/var/lib/one//datastores/0/42/disk.0'/><target dev='vda'/></disk>
            <disk type='file' device='disk'><source file='/var/lib/one/datastores/0/42/disk.1.snap/0'/><target dev='vdb'/></disk>
            <disk type='file' device='disk'><source file='/var/lib/one//datastores/1/a3f5c0'/><target dev='vdc'/></disk>
            <disk type='file' device='cdrom'><source file='/var/lib/one//datastores/0/420/disk.2'/><target dev='hda'/></disk>
            <disk type='file' device='disk'><source file='/var/lib/one//datastores/0/42x/disk.3'/><target dev='vdd'/></disk>
          </devices>
        </domain>
        """;

    [Fact]
    public void RewriteDatastorePaths_MovedToDatastore100_VmPathsFollow()
    {
        var xml = RestoreAction.RewriteDatastorePaths(Saved, "/var/lib/one//datastores/100/42/checkpoint", "42");

        xml.ShouldContain("<one:system_datastore>/var/lib/one//datastores/100/42</one:system_datastore>");
        xml.ShouldContain("<source file=\"/var/lib/one//datastores/100/42/disk.0\" />");
        xml.ShouldContain("<source file=\"/var/lib/one//datastores/100/42/disk.1.snap/0\" />"); // the collapsed spelling too
        xml.ShouldContain("/var/lib/one//datastores/1/a3f5c0"); // an image datastore path is not the VM's
        xml.ShouldContain("/var/lib/one//datastores/0/420/disk.2"); // another VM
        xml.ShouldContain("/var/lib/one//datastores/0/42x/disk.3");
        xml.ShouldContain("\n    <disk"); // whitespace kept
    }

    [Fact]
    public void RewriteDatastorePaths_SameDatastore_Unchanged()
    {
        var xml = RestoreAction.RewriteDatastorePaths(Saved, "/var/lib/one//datastores/0/42/checkpoint", "42");

        xml.ShouldContain("/var/lib/one//datastores/0/42/disk.0");
        xml.ShouldContain("/var/lib/one//datastores/0/42/disk.1.snap/0"); // normalised to the checkpoint's spelling
        xml.ShouldContain(">/var/lib/one//datastores/0/42<");
    }

    [Fact]
    public void RewriteDatastorePaths_NotXml_Throws()
    {
        Should.Throw<System.Xml.XmlException>(() => RestoreAction.RewriteDatastorePaths("error: nothing", "/ds/0/42/checkpoint", "42"));
    }
}
