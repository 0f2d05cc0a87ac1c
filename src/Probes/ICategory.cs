namespace OneKvm.Probes;

/// <summary>
/// One OpenNebula message category (upstream probe directory): collects a typed sample and renders
/// it in OpenNebula template syntax. A category that cannot produce its data throws
/// <see cref="ProbeException"/> (or <see cref="OneKvm.Libvirt.LibvirtException"/>): the caller reports
/// FAILURE with that message and the other categories carry on.
/// </summary>
public interface ICategory
{
    /// <summary>Lower-case name used on the command line: <c>system_host</c>, <c>monitor_vm</c>, …</summary>
    string Name { get; }

    /// <summary>Wire message type: <c>SYSTEM_HOST</c>, <c>MONITOR_VM</c>, …</summary>
    string MessageType { get; }

    /// <summary>Collects and renders the category's payload text.</summary>
    Task<string> RenderAsync(ProbeContext context, CancellationToken cancellationToken);

    /// <summary>A period the category keeps whatever its message type's configured period (upstream's hard-coded ones); null: the type's.</summary>
    TimeSpan? FixedPeriod => null;
}

/// <summary>A category whose sample is typed: collected once, rendered (pure), checked for what it lacks.</summary>
public abstract class Category<TSample> : ICategory
    where TSample : notnull
{
    public abstract string Name { get; }

    public abstract string MessageType { get; }

    /// <summary>Reads the host once and returns an immutable sample.</summary>
    public abstract Task<TSample> CollectAsync(ProbeContext context, CancellationToken cancellationToken);

    /// <summary>Renders a sample in template syntax (pure).</summary>
    public abstract string Render(TSample sample, ProbeContext context);

    /// <summary>
    /// What a sample lacks because a source failed (e.g. libvirt unreachable while the kernel parts
    /// were read); empty when the sample is complete.
    /// </summary>
    public virtual IReadOnlyList<string> Missing(TSample sample) => [];

    /// <exception cref="PartialCategoryException">the sample is incomplete (<see cref="Missing"/>); it carries the rendered part.</exception>
    public async Task<string> RenderAsync(ProbeContext context, CancellationToken cancellationToken)
    {
        var sample = await CollectAsync(context, cancellationToken);
        var text = Render(sample, context);
        var missing = Missing(sample);
        return missing.Count == 0 ? text : throw new PartialCategoryException(text, string.Join("; ", missing));
    }
}

/// <summary>A probe that cannot produce its data; the message is what OpenNebula is told.</summary>
public sealed class ProbeException : Exception
{
    public ProbeException(string message) : base(message) { }

    public ProbeException(string message, Exception inner) : base(message, inner) { }

    public ProbeException() { }
}
