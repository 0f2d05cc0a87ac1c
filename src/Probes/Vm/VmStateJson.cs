using System.Text.Json.Serialization;

namespace OneKvm.Probes.Vm;

/// <summary>Previous <c>cpu.time</c> readings, keyed by <c>uuid/domain-id</c> (a restart gets a new key).</summary>
public sealed record CpuSampleFile(long TakenAtUnixMs, Dictionary<string, ulong> CpuTimeNs);

/// <summary>STATE_VM memory between runs (upstream keeps it in SQLite <c>status_kvm_&lt;hid&gt;.db</c>).</summary>
public sealed record VmStateFile(long? LastSyncUnixSeconds, List<VmStateRow> Vms);

/// <summary>One remembered VM: last reported state and consecutive misses.</summary>
public sealed record VmStateRow(string Uuid, int Id, string DeployId, string Name, string State, int Missing, long TimestampUnixSeconds);

[JsonSerializable(typeof(CpuSampleFile))]
[JsonSerializable(typeof(VmStateFile))]
[JsonSourceGenerationOptions(WriteIndented = false)]
internal sealed partial class VmStateJson : JsonSerializerContext;
