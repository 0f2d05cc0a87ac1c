using System.Text.Json.Serialization;
using OneKvm.Probes.Host.Kernel;

namespace OneKvm.Probes.Host;

/// <summary>The previous <c>/proc/stat</c> reading kept between MONITOR_HOST runs (state file <c>host-cpu.json</c>).</summary>
public sealed record CpuSampleState(long? BootTimeSeconds, int OnlineCpus, CpuTicks Ticks);

[JsonSerializable(typeof(CpuSampleState))]
internal sealed partial class HostStateJsonContext : JsonSerializerContext;
