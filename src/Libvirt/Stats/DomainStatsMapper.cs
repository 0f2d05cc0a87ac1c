using System.Buffers.Text;
using OneKvm.Libvirt.Native;

namespace OneKvm.Libvirt.Stats;

/// <summary>
/// Maps one record of <c>virConnectGetAllDomainStats</c> (its typed parameters) to
/// <see cref="DomainStats"/>, by the key names <c>virsh domstats</c> prints
/// (<c>state.state</c>, <c>cpu.time</c>, <c>balloon.rss</c>, <c>vcpu.0.time</c>, <c>net.0.rx.bytes</c>,
/// <c>block.1.wr.bytes</c>...). Keys OneKvm does not use are skipped; a value that does not fit
/// its field drops that field with a warning (bad answers are not facts).
/// </summary>
internal static class DomainStatsMapper
{
    public static DomainStats Map(string name, ReadOnlySpan<VirTypedParameter> parameters, List<string> warnings)
    {
        var b = new Builder(name, warnings);
        foreach (ref readonly var p in parameters)
        {
            b.Add(p);
        }
        return b.Build();
    }

    private sealed class Builder(string name, List<string> warnings)
    {
        private int? _state, _reason;
        private bool _cpu, _balloon, _vcpu, _net, _block;
        private ulong? _cpuTime, _cpuUser, _cpuSystem;
        private ulong? _balCurrent, _balMaximum, _balRss, _balUnused, _balAvailable, _balUsable, _balSwapIn, _balSwapOut;
        private long? _balLastUpdate;
        private uint? _vcpuCurrent, _vcpuMaximum;
        private readonly SortedDictionary<int, VcpuBuilder> _vcpus = [];
        private readonly SortedDictionary<int, NetBuilder> _nets = [];
        private readonly SortedDictionary<int, BlockBuilder> _blocks = [];

        public void Add(in VirTypedParameter p)
        {
            var key = VirTypedParameter.NameOf(in p);
            var dot = key.IndexOf((byte)'.');
            if (dot < 0) return;
            var group = key[..dot];
            var rest = key[(dot + 1)..];
            if (group.SequenceEqual("state"u8)) AddState(p, rest);
            else if (group.SequenceEqual("cpu"u8)) AddCpu(p, rest);
            else if (group.SequenceEqual("balloon"u8)) AddBalloon(p, rest);
            else if (group.SequenceEqual("vcpu"u8)) AddVcpu(p, rest);
            else if (group.SequenceEqual("net"u8)) AddNet(p, rest);
            else if (group.SequenceEqual("block"u8)) AddBlock(p, rest);
        }

        private void AddState(in VirTypedParameter p, ReadOnlySpan<byte> field)
        {
            if (field.SequenceEqual("state"u8)) SetInt32(p, ref _state);
            else if (field.SequenceEqual("reason"u8)) SetInt32(p, ref _reason);
        }

        private void AddCpu(in VirTypedParameter p, ReadOnlySpan<byte> field)
        {
            if (field.SequenceEqual("time"u8)) { _cpu = true; SetUInt64(p, ref _cpuTime); }
            else if (field.SequenceEqual("user"u8)) { _cpu = true; SetUInt64(p, ref _cpuUser); }
            else if (field.SequenceEqual("system"u8)) { _cpu = true; SetUInt64(p, ref _cpuSystem); }
        }

        private void AddBalloon(in VirTypedParameter p, ReadOnlySpan<byte> field)
        {
            _balloon = true;
            if (field.SequenceEqual("current"u8)) SetUInt64(p, ref _balCurrent);
            else if (field.SequenceEqual("maximum"u8)) SetUInt64(p, ref _balMaximum);
            else if (field.SequenceEqual("rss"u8)) SetUInt64(p, ref _balRss);
            else if (field.SequenceEqual("unused"u8)) SetUInt64(p, ref _balUnused);
            else if (field.SequenceEqual("available"u8)) SetUInt64(p, ref _balAvailable);
            else if (field.SequenceEqual("usable"u8)) SetUInt64(p, ref _balUsable);
            else if (field.SequenceEqual("swap_in"u8)) SetUInt64(p, ref _balSwapIn);
            else if (field.SequenceEqual("swap_out"u8)) SetUInt64(p, ref _balSwapOut);
            else if (field.SequenceEqual("last-update"u8)) SetInt64(p, ref _balLastUpdate);
        }

        private void AddVcpu(in VirTypedParameter p, ReadOnlySpan<byte> rest)
        {
            _vcpu = true;
            if (rest.SequenceEqual("current"u8)) { SetUInt32(p, ref _vcpuCurrent); return; }
            if (rest.SequenceEqual("maximum"u8)) { SetUInt32(p, ref _vcpuMaximum); return; }
            if (!TrySplitIndex(p, rest, out var index, out var field)) return;
            if (!_vcpus.TryGetValue(index, out var v)) _vcpus[index] = v = new VcpuBuilder();
            if (field.SequenceEqual("state"u8)) SetInt32(p, ref v.State);
            else if (field.SequenceEqual("time"u8)) SetUInt64(p, ref v.Time);
            else if (field.SequenceEqual("wait"u8)) SetUInt64(p, ref v.Wait);
            else if (field.SequenceEqual("delay"u8)) SetUInt64(p, ref v.Delay);
        }

        private void AddNet(in VirTypedParameter p, ReadOnlySpan<byte> rest)
        {
            _net = true;
            if (rest.SequenceEqual("count"u8)) return;
            if (!TrySplitIndex(p, rest, out var index, out var field)) return;
            if (!_nets.TryGetValue(index, out var n)) _nets[index] = n = new NetBuilder();
            if (field.SequenceEqual("name"u8)) SetString(p, ref n.Name);
            else if (field.SequenceEqual("rx.bytes"u8)) SetUInt64(p, ref n.RxBytes);
            else if (field.SequenceEqual("rx.pkts"u8)) SetUInt64(p, ref n.RxPackets);
            else if (field.SequenceEqual("rx.errs"u8)) SetUInt64(p, ref n.RxErrors);
            else if (field.SequenceEqual("rx.drop"u8)) SetUInt64(p, ref n.RxDrops);
            else if (field.SequenceEqual("tx.bytes"u8)) SetUInt64(p, ref n.TxBytes);
            else if (field.SequenceEqual("tx.pkts"u8)) SetUInt64(p, ref n.TxPackets);
            else if (field.SequenceEqual("tx.errs"u8)) SetUInt64(p, ref n.TxErrors);
            else if (field.SequenceEqual("tx.drop"u8)) SetUInt64(p, ref n.TxDrops);
        }

        private void AddBlock(in VirTypedParameter p, ReadOnlySpan<byte> rest)
        {
            _block = true;
            if (rest.SequenceEqual("count"u8)) return;
            if (!TrySplitIndex(p, rest, out var index, out var field)) return;
            if (!_blocks.TryGetValue(index, out var k)) _blocks[index] = k = new BlockBuilder();
            if (field.SequenceEqual("name"u8)) SetString(p, ref k.Name);
            else if (field.SequenceEqual("path"u8)) SetString(p, ref k.Path);
            else if (field.SequenceEqual("backingIndex"u8)) SetNonNegativeInt32(p, ref k.BackingIndex);
            else if (field.SequenceEqual("rd.reqs"u8)) SetUInt64(p, ref k.ReadRequests);
            else if (field.SequenceEqual("rd.bytes"u8)) SetUInt64(p, ref k.ReadBytes);
            else if (field.SequenceEqual("rd.times"u8)) SetUInt64(p, ref k.ReadTime);
            else if (field.SequenceEqual("wr.reqs"u8)) SetUInt64(p, ref k.WriteRequests);
            else if (field.SequenceEqual("wr.bytes"u8)) SetUInt64(p, ref k.WriteBytes);
            else if (field.SequenceEqual("wr.times"u8)) SetUInt64(p, ref k.WriteTime);
            else if (field.SequenceEqual("fl.reqs"u8)) SetUInt64(p, ref k.FlushRequests);
            else if (field.SequenceEqual("fl.times"u8)) SetUInt64(p, ref k.FlushTime);
            else if (field.SequenceEqual("allocation"u8)) SetUInt64(p, ref k.Allocation);
            else if (field.SequenceEqual("capacity"u8)) SetUInt64(p, ref k.Capacity);
            else if (field.SequenceEqual("physical"u8)) SetUInt64(p, ref k.Physical);
        }

        /// <summary><c>N.rest</c> with N a decimal index that fits an int.</summary>
        private bool TrySplitIndex(in VirTypedParameter p, ReadOnlySpan<byte> rest, out int index, out ReadOnlySpan<byte> field)
        {
            field = default;
            var dot = rest.IndexOf((byte)'.');
            var digits = dot < 0 ? rest : rest[..dot];
            if (dot < 0 || digits.Length == 0 || digits.ContainsAnyExceptInRange((byte)'0', (byte)'9')
                || !Utf8Parser.TryParse(digits, out index, out var used) || used != digits.Length)
            {
                index = 0;
                Warn(p, "has no valid index");
                return false;
            }
            field = rest[(dot + 1)..];
            return true;
        }

        private void SetUInt64(in VirTypedParameter p, ref ulong? slot)
        {
            if (Duplicate(p, slot.HasValue)) return;
            if (TypedParameterValue.TryUInt64(p, out var v, out var why)) slot = v; else Warn(p, why!);
        }

        private void SetUInt32(in VirTypedParameter p, ref uint? slot)
        {
            if (Duplicate(p, slot.HasValue)) return;
            if (TypedParameterValue.TryUInt32(p, out var v, out var why)) slot = v; else Warn(p, why!);
        }

        private void SetInt64(in VirTypedParameter p, ref long? slot)
        {
            if (Duplicate(p, slot.HasValue)) return;
            if (TypedParameterValue.TryInt64(p, out var v, out var why)) slot = v; else Warn(p, why!);
        }

        private void SetInt32(in VirTypedParameter p, ref int? slot)
        {
            if (Duplicate(p, slot.HasValue)) return;
            if (TypedParameterValue.TryInt32(p, out var v, out var why)) slot = v; else Warn(p, why!);
        }

        private void SetNonNegativeInt32(in VirTypedParameter p, ref int? slot)
        {
            if (Duplicate(p, slot.HasValue)) return;
            if (TypedParameterValue.TryNonNegativeInt32(p, out var v, out var why)) slot = v; else Warn(p, why!);
        }

        private void SetString(in VirTypedParameter p, ref string? slot)
        {
            if (Duplicate(p, slot is not null)) return;
            if (TypedParameterValue.TryString(p, out var v, out var why)) slot = v; else Warn(p, why!);
        }

        private bool Duplicate(in VirTypedParameter p, bool alreadySet)
        {
            if (alreadySet) Warn(p, "is duplicated; the first value is kept");
            return alreadySet;
        }

        private void Warn(in VirTypedParameter p, string why) =>
            warnings.Add($"domain {name}: {TypedParameterValue.Key(p)}={TypedParameterValue.Describe(p)} {why}; field dropped");

        public DomainStats Build() => new(
            name,
            _state is { } s ? new DomainStateStat(s, _reason ?? 0) : null,
            _cpu ? new DomainCpuStat(_cpuTime, _cpuUser, _cpuSystem) : null,
            _balloon ? new DomainBalloonStat(_balCurrent, _balMaximum, _balRss, _balUnused, _balAvailable, _balUsable, _balSwapIn, _balSwapOut, _balLastUpdate) : null,
            _vcpu ? new DomainVcpuStat(_vcpuCurrent, _vcpuMaximum, [.. _vcpus.Select(e => new VcpuStat(e.Key, e.Value.State, e.Value.Time, e.Value.Wait, e.Value.Delay))]) : null,
            _net ? [.. _nets.Select(e => e.Value.Build(e.Key))] : null,
            _block ? [.. _blocks.Select(e => e.Value.Build(e.Key))] : null);
    }

    private sealed class VcpuBuilder
    {
        public int? State;
        public ulong? Time, Wait, Delay;
    }

    private sealed class NetBuilder
    {
        public string? Name;
        public ulong? RxBytes, RxPackets, RxErrors, RxDrops, TxBytes, TxPackets, TxErrors, TxDrops;

        public DomainNetStat Build(int index) =>
            new(index, Name, RxBytes, RxPackets, RxErrors, RxDrops, TxBytes, TxPackets, TxErrors, TxDrops);
    }

    private sealed class BlockBuilder
    {
        public string? Name, Path;
        public int? BackingIndex;
        public ulong? ReadRequests, ReadBytes, ReadTime, WriteRequests, WriteBytes, WriteTime, FlushRequests, FlushTime, Allocation, Capacity, Physical;

        public DomainBlockStat Build(int index) => new(
            index, Name, Path, BackingIndex, ReadRequests, ReadBytes, ReadTime, WriteRequests, WriteBytes, WriteTime,
            FlushRequests, FlushTime, Allocation, Capacity, Physical);
    }
}
