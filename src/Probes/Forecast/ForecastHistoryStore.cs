using System.Text;

namespace OneKvm.Probes.Forecast;

/// <summary>
/// Keeps each entity's <see cref="MetricHistory"/> across restarts, one small binary file per entity
/// under <c>&lt;state dir&gt;/forecast/</c> (<c>host.bin</c>, <c>vm-42.bin</c>), written atomically
/// (temporary file + rename). A file that is unreadable, truncated or of another version reads as
/// "no history" (the forecast keys then wait for new history), never as an error.
/// </summary>
public sealed class ForecastHistoryStore(string directory)
{
    private const uint Magic = 0x4F4B4648; // "OKFH"
    private const int Version = 1;

    public string Directory { get; } = directory;

    public static string HostEntity => "host";

    public static string VmEntity(int vmId) => $"vm-{vmId.ToString(System.Globalization.CultureInfo.InvariantCulture)}";

    public MetricHistory Load(string entity)
    {
        var history = new MetricHistory();
        try
        {
            using var reader = new BinaryReader(File.OpenRead(PathOf(entity)), Encoding.UTF8);
            if (reader.ReadUInt32() != Magic || reader.ReadInt32() != Version) return new MetricHistory();
            var count = reader.ReadInt32();
            for (var i = 0; i < count; i++)
            {
                var name = reader.ReadString();
                var series = new MetricHistory.Series();
                ReadBuckets(reader, series.Minutes);
                ReadBuckets(reader, series.Hours);
                series.Previous = ReadSample(reader);
                series.Latest = ReadSample(reader);
                history.Restore(name, series);
            }
            return history;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or EndOfStreamException or ArgumentOutOfRangeException)
        {
            return new MetricHistory();
        }
    }

    /// <exception cref="IOException">the directory or file cannot be written (the caller warns once).</exception>
    public void Save(string entity, MetricHistory history)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var path = PathOf(entity);
        var temporary = $"{path}.{Environment.ProcessId}.tmp";
        try
        {
            using (var writer = new BinaryWriter(File.Create(temporary), Encoding.UTF8))
            {
                writer.Write(Magic);
                writer.Write(Version);
                writer.Write(history.AllSeries.Count);
                foreach (var (name, series) in history.AllSeries)
                {
                    writer.Write(name);
                    WriteBuckets(writer, series.Minutes);
                    WriteBuckets(writer, series.Hours);
                    WriteSample(writer, series.Previous);
                    WriteSample(writer, series.Latest);
                }
            }
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
    }

    /// <summary>Removes the files of entities no longer present (VMs gone from the host).</summary>
    public void Forget(string entity)
    {
        try
        {
            File.Delete(PathOf(entity));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // a stale file is harmless: it is overwritten or ignored
        }
    }

    private string PathOf(string entity) => Path.Join(Directory, entity + ".bin");

    private static void WriteBuckets(BinaryWriter writer, List<MetricHistory.Bucket> buckets)
    {
        writer.Write(buckets.Count);
        foreach (var b in buckets)
        {
            writer.Write(b.Start);
            writer.Write(b.Sum);
            writer.Write(b.Count);
            writer.Write(b.LastTime);
            writer.Write(b.Last);
        }
    }

    private static void ReadBuckets(BinaryReader reader, List<MetricHistory.Bucket> buckets)
    {
        var count = reader.ReadInt32();
        if (count is < 0 or > MetricHistory.MaxHourBuckets) throw new EndOfStreamException("bucket count out of range");
        for (var i = 0; i < count; i++)
        {
            var bucket = new MetricHistory.Bucket(reader.ReadInt64(), reader.ReadDouble(), reader.ReadInt32(), reader.ReadDouble(), reader.ReadDouble());
            if (bucket.Count <= 0) throw new EndOfStreamException("empty bucket");
            buckets.Add(bucket);
        }
    }

    private static void WriteSample(BinaryWriter writer, (double Time, double Value)? sample)
    {
        writer.Write(sample.HasValue);
        if (sample is { } s)
        {
            writer.Write(s.Time);
            writer.Write(s.Value);
        }
    }

    private static (double, double)? ReadSample(BinaryReader reader) =>
        reader.ReadBoolean() ? (reader.ReadDouble(), reader.ReadDouble()) : null;
}
