using System.Text.Json.Serialization;
using OneKvm.Probes.Sampling;

namespace OneKvm.Probes.Vm;

/// <summary>STATE_VM memory between runs (upstream keeps it in SQLite <c>status_kvm_&lt;hid&gt;.db</c>).</summary>
public sealed record VmStateFile(long? LastSyncUnixSeconds, List<VmStateRow> Vms);

/// <summary>One remembered VM: last reported state and consecutive misses.</summary>
public sealed record VmStateRow(string Uuid, int Id, string DeployId, string Name, string State, int Missing, long TimestampUnixSeconds);

[JsonSerializable(typeof(CpuSampleFile))]
[JsonSerializable(typeof(VmStateFile))]
[JsonSourceGenerationOptions(WriteIndented = false)]
internal sealed partial class VmStateJson : JsonSerializerContext;
