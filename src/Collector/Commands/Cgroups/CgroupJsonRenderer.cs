using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using OneKvm.Cgroups.Layout;
using OneKvm.Probes.Audit;

namespace OneKvm.Collector.Commands.Cgroups;

/// <summary><c>--format json</c>: <c>{"host": {…}, "vms": [...], "fixes": [...], "transfers": [...], "warnings": [...]}</c>; absent values are null; units in the names.</summary>
public static class CgroupJsonRenderer
{
    public static string Render(CgroupReport report, IReadOnlyList<ShareFix>? fixes)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            WriteHost(w, report.Host, report.Audit);
            w.WriteStartArray("vms");
            foreach (var vm in report.Vms) WriteVm(w, vm);
            w.WriteEndArray();
            if (fixes is not null)
            {
                w.WriteStartArray("fixes");
                foreach (var f in fixes)
                {
                    w.WriteStartObject();
                    w.WriteString("domain", f.Domain);
                    Number(w, "before", f.Before);
                    w.WriteNumber("target", f.Target);
                    Number(w, "after", f.After);
                    w.WriteBoolean("fixed", f.Fixed);
                    w.WriteString("error", f.Error);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
            }
            w.WriteStartArray("transfers");
            foreach (var t in report.Audit?.Transfers ?? [])
            {
                w.WriteStartObject();
                w.WriteString("from", t.From);
                w.WriteString("to", t.To);
                Number(w, "cores", t.Cores);
                w.WriteBoolean("by_drift", t.ByDrift);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("warnings");
            foreach (var warning in report.Warnings) w.WriteStringValue(warning);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    private static void WriteHost(Utf8JsonWriter w, HostCgroupReport host, ShareAuditResult? audit)
    {
        var layout = host.Layout;
        w.WriteStartObject("host");
        w.WriteNumber("cgroups_version", host.CgroupsVersion);
        w.WriteString("cgroup_mode", layout.Mode switch { CgroupMode.V1 => "v1", CgroupMode.V2 => "v2", _ => "hybrid" });
        w.WriteString("cpu_controller", layout.CpuVersion switch { CgroupVersion.V1 => "v1", CgroupVersion.V2 => "v2", _ => null });
        w.WriteBoolean("cpu_cpuacct_joined", layout.CpuJoinedWithCpuacct);
        w.WriteBoolean("libvirt_uses_cgroup2", layout.LibvirtUsesV2);
        w.WriteNumber("total_cpu", host.TotalCpu);
        w.WriteString("reserved_cpu", host.ReservedCpu);
        w.WriteNumber("max_cpu", host.MaxCpu);
        w.WriteNumber("total_mem", host.TotalMemoryKiB);
        w.WriteString("reserved_mem", host.ReservedMem);
        w.WriteNumber("max_mem", host.MaxMemoryKiB);
        w.WriteNumber("allocated_cpu", host.AllocatedCpu);
        w.WriteNumber("allocated_mem", host.AllocatedMemoryKiB);
        w.WriteString("parent_memory_cgroup", host.ParentMemoryCgroup);
        Number(w, "parent_memory_limit_bytes", host.ParentMemoryLimitBytes);
        w.WriteString("parent_memory_limit_check", host.ParentMemoryLimitCheck);
        Number(w, "window_seconds", audit?.WindowSeconds);
        Number(w, "host_cpus", audit?.HostCpus);
        Number(w, "non_vm_cores", audit?.NonVmCores);
        Number(w, "capacity_cores", audit?.CapacityCores);
        w.WriteEndObject();
    }

    private static void WriteVm(Utf8JsonWriter w, VmCgroupReport vm)
    {
        var s = vm.Sample;
        w.WriteStartObject();
        w.WriteString("domain", vm.Domain);
        Number(w, "vm_id", vm.VmId);
        if (vm.Cpu is { } cpu) w.WriteNumber("cpu", Math.Round((double)(decimal)cpu, 6)); else w.WriteNull("cpu");
        w.WriteString("cpu_source", vm.CpuSource);
        w.WriteNumber("vcpus", vm.Vcpus);
        Number(w, "memory_kib", vm.MemoryKiB);
        Number(w, "promised_shares", vm.PromisedShares);
        Number(w, "applied_shares", vm.AppliedShares);
        if (vm.Drift is { } drift) w.WriteBoolean("drift", drift); else w.WriteNull("drift");
        var v = vm.Verdict;
        w.WriteBoolean("audited", v is not null);
        Number(w, "used_cores", v?.UsedCores);
        Number(w, "demand_cores", v?.DemandCores);
        Number(w, "entitled_cores", v?.EntitledCores);
        w.WriteStartArray("wanted_more");
        foreach (var signal in Signals(v?.Wanted ?? DemandSignals.None)) w.WriteStringValue(signal);
        w.WriteEndArray();
        if (v?.ThrottledPeriods is { } throttled) w.WriteNumber("throttled_periods", throttled); else w.WriteNull("throttled_periods");
        Number(w, "cpu_pressure_ratio", v?.CpuPressure);
        w.WriteBoolean("idle", v?.Idle ?? false);
        w.WriteBoolean("starved", v?.Starved ?? false);
        w.WriteBoolean("noisy", v?.Noisy ?? false);
        w.WriteString("cgroup", s?.Paths.Cpu?.HostPath ?? s?.Paths.Unified?.HostPath);
        w.WriteString("found_by", s?.Paths.FoundBy);
        Number(w, "cpu_usage_ns", s?.CpuUsageNanoseconds);
        w.WriteString("cpu_usage_source", s?.CpuUsageSource);
        Number(w, "cpu_throttled_ns", s?.CpuThrottledNanoseconds);
        Number(w, "memory_usage_bytes", s?.MemoryUsageBytes);
        Number(w, "memory_anon_bytes", s?.MemoryAnonBytes);
        Number(w, "memory_swap_bytes", s?.MemorySwapBytes);
        Number(w, "memory_limit_bytes", s?.MemoryLimitBytes);
        Number(w, "io_read_bytes", s?.IoReadBytes);
        Number(w, "io_write_bytes", s?.IoWriteBytes);
        w.WriteString("error", vm.Error);
        w.WriteEndObject();
    }

    /// <summary>The demand signals by name: <c>throttled</c>, <c>pressure</c>, <c>at_cap</c>.</summary>
    public static IEnumerable<string> Signals(DemandSignals wanted)
    {
        if (wanted.HasFlag(DemandSignals.Throttled)) yield return "throttled";
        if (wanted.HasFlag(DemandSignals.Pressure)) yield return "pressure";
        if (wanted.HasFlag(DemandSignals.AtCap)) yield return "at_cap";
    }

    private static void Number(Utf8JsonWriter w, string name, long? value)
    {
        if (value is { } v) w.WriteNumber(name, v); else w.WriteNull(name);
    }

    private static void Number(Utf8JsonWriter w, string name, double? value)
    {
        if (value is { } v) w.WriteNumber(name, Math.Round(v, 4)); else w.WriteNull(name);
    }
}
