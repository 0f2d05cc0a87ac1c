using static OneKvm.Probes.Virsh.DomStatsParser;

using OneKvm.Libvirt.Stats;

namespace OneKvm.Probes.Virsh;

/// <summary>Accumulates the keys of one <c>domstats</c> record (used only by <see cref="DomStatsParser"/>).</summary>
internal sealed class DomainStatsBuilder(string name)
{
    private int? _state, _reason;
    private bool _cpu, _balloon, _vcpu;
    private ulong? _cpuTime, _cpuUser, _cpuSystem;
    private ulong? _bCurrent, _bMaximum, _bRss, _bUnused, _bAvailable, _bUsable, _bSwapIn, _bSwapOut;
    private long? _bLastUpdate;
    private uint? _vCurrent, _vMaximum;
    private SortedDictionary<int, VcpuStat>? _vcpus;
    private SortedDictionary<int, IndexedEntry>? _nets;
    private SortedDictionary<int, IndexedEntry>? _blocks;

    public void Set(ReadOnlySpan<char> key, ReadOnlySpan<char> value)
    {
        var dot = key.IndexOf('.');
        if (dot < 0) return;
        var group = key[..dot];
        var rest = key[(dot + 1)..];
        switch (group)
        {
            case "state": SetState(key, rest, value); break;
            case "cpu": SetCpu(key, rest, value); break;
            case "balloon": SetBalloon(key, rest, value); break;
            case "vcpu": SetVcpu(key, rest, value); break;
            case "net": SetNet(key, rest, value); break;
            case "block": SetBlock(key, rest, value); break;
        }
    }

    private void SetState(ReadOnlySpan<char> key, ReadOnlySpan<char> field, ReadOnlySpan<char> value)
    {
        if (field.SequenceEqual("state")) _state = I32(key, value);
        else if (field.SequenceEqual("reason")) _reason = I32(key, value);
    }

    private void SetCpu(ReadOnlySpan<char> key, ReadOnlySpan<char> field, ReadOnlySpan<char> value)
    {
        switch (field)
        {
            case "time": _cpuTime = U64(key, value); break;
            case "user": _cpuUser = U64(key, value); break;
            case "system": _cpuSystem = U64(key, value); break;
            default: return;
        }
        _cpu = true;
    }

    private void SetBalloon(ReadOnlySpan<char> key, ReadOnlySpan<char> field, ReadOnlySpan<char> value)
    {
        switch (field)
        {
            case "current": _bCurrent = U64(key, value); break;
            case "maximum": _bMaximum = U64(key, value); break;
            case "rss": _bRss = U64(key, value); break;
            case "unused": _bUnused = U64(key, value); break;
            case "available": _bAvailable = U64(key, value); break;
            case "usable": _bUsable = U64(key, value); break;
            case "swap_in": _bSwapIn = U64(key, value); break;
            case "swap_out": _bSwapOut = U64(key, value); break;
            case "last-update": _bLastUpdate = I64(key, value); break;
            default: return;
        }
        _balloon = true;
    }

    private void SetVcpu(ReadOnlySpan<char> key, ReadOnlySpan<char> rest, ReadOnlySpan<char> value)
    {
        _vcpu = true;
        if (!TryIndex(rest, key, out var index, out var field))
        {
            if (rest.SequenceEqual("current")) _vCurrent = checked((uint)U64(key, value));
            else if (rest.SequenceEqual("maximum")) _vMaximum = checked((uint)U64(key, value));
            return;
        }
        _vcpus ??= [];
        var v = _vcpus.TryGetValue(index, out var old) ? old : new VcpuStat(index, null, null, null, null);
        _vcpus[index] = field switch
        {
            "state" => v with { State = I32(key, value) },
            "time" => v with { TimeNs = U64(key, value) },
            "wait" => v with { WaitNs = U64(key, value) },
            "delay" => v with { DelayNs = U64(key, value) },
            _ => v,
        };
    }

    private void SetNet(ReadOnlySpan<char> key, ReadOnlySpan<char> rest, ReadOnlySpan<char> value)
    {
        _nets ??= [];
        if (!TryIndex(rest, key, out var index, out var field)) return; // net.count: the entries speak for themselves
        if (!_nets.TryGetValue(index, out var n)) _nets[index] = n = new IndexedEntry(8);
        var slot = field switch
        {
            "rx.bytes" => 0, "rx.pkts" => 1, "rx.errs" => 2, "rx.drop" => 3,
            "tx.bytes" => 4, "tx.pkts" => 5, "tx.errs" => 6, "tx.drop" => 7,
            _ => -1,
        };
        if (slot >= 0) n.Values[slot] = U64(key, value);
        else if (field.SequenceEqual("name")) n.Name = value.ToString();
    }

    private void SetBlock(ReadOnlySpan<char> key, ReadOnlySpan<char> rest, ReadOnlySpan<char> value)
    {
        _blocks ??= [];
        if (!TryIndex(rest, key, out var index, out var field)) return;
        if (!_blocks.TryGetValue(index, out var b)) _blocks[index] = b = new IndexedEntry(11);
        var slot = field switch
        {
            "rd.reqs" => 0, "rd.bytes" => 1, "rd.times" => 2,
            "wr.reqs" => 3, "wr.bytes" => 4, "wr.times" => 5,
            "fl.reqs" => 6, "fl.times" => 7,
            "allocation" => 8, "capacity" => 9, "physical" => 10,
            _ => -1,
        };
        if (slot >= 0) b.Values[slot] = U64(key, value);
        else if (field.SequenceEqual("name")) b.Name = value.ToString();
        else if (field.SequenceEqual("path")) b.Path = value.ToString();
        else if (field.SequenceEqual("backingIndex")) b.BackingIndex = I32(key, value);
    }

    private static DomainNetStat Net(int i, IndexedEntry e)
    {
        var v = e.Values;
        return new DomainNetStat(i, e.Name, v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7]);
    }

    private static DomainBlockStat Block(int i, IndexedEntry e)
    {
        var v = e.Values;
        return new DomainBlockStat(i, e.Name, e.Path, e.BackingIndex, v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10]);
    }

    /// <summary>Mutable slots of one <c>net.N</c> / <c>block.N</c> entry while its keys arrive.</summary>
    private sealed class IndexedEntry(int slots)
    {
        public ulong?[] Values { get; } = new ulong?[slots];

        public string? Name { get; set; }

        public string? Path { get; set; }

        public int? BackingIndex { get; set; }
    }

    public DomainStats Build() => new(
        name,
        _state is { } s ? new DomainStateStat(s, _reason ?? 0) : null,
        _cpu ? new DomainCpuStat(_cpuTime, _cpuUser, _cpuSystem) : null,
        _balloon ? new DomainBalloonStat(_bCurrent, _bMaximum, _bRss, _bUnused, _bAvailable, _bUsable, _bSwapIn, _bSwapOut, _bLastUpdate) : null,
        _vcpu ? new DomainVcpuStat(_vCurrent, _vMaximum, _vcpus is null ? [] : [.. _vcpus.Values]) : null,
        _nets is null ? null : [.. _nets.Select(kv => Net(kv.Key, kv.Value))],
        _blocks is null ? null : [.. _blocks.Select(kv => Block(kv.Key, kv.Value))]);
}
