using System.Globalization;
using OneKvm.Probes.OpenNebula;

namespace OneKvm.Probes.Host;

/// <summary><c>DS_LOCATION_{USED,TOTAL,FREE}_MB</c>, <c>DS = [ ID, USED_MB, TOTAL_MB, FREE_MB ]</c> and <c>AUTONFS_MOUNT</c> (MiB as <c>df -B1M</c>).</summary>
internal static class DatastoreTemplate
{
    public static void Write(TemplateWriter writer, DatastoreInfo info)
    {
        if (info.Location is { } location)
        {
            writer.Bare("DS_LOCATION_USED_MB", S(location.UsedMib));
            writer.Bare("DS_LOCATION_TOTAL_MB", S(location.TotalMib));
            writer.Bare("DS_LOCATION_FREE_MB", S(location.AvailableMib));
        }
        foreach (var ds in info.Datastores)
        {
            writer.Vector("DS",
                ("ID", ds.Id.ToString(CultureInfo.InvariantCulture)),
                ("USED_MB", S(ds.Usage.UsedMib)),
                ("TOTAL_MB", S(ds.Usage.TotalMib)),
                ("FREE_MB", S(ds.Usage.AvailableMib)));
        }
        writer.Quoted("AUTONFS_MOUNT", string.Join(',', info.AutoNfsMounts));
    }

    private static string S(ulong value) => value.ToString(CultureInfo.InvariantCulture);
}
