using System.Reactive.Concurrency;
using System.Reactive.Linq;
using OneKvm.Collector.Pipeline;
using OneKvm.Probes;

namespace OneKvm.Collector.Agent;

/// <summary>
/// The agent's steady state: every category on its own timer (<see cref="ProbePipeline"/>), each
/// snapshot rendered to OpenNebula text and handed to the category's <see cref="CategoryOutbox"/>.
/// A failed tick is sent as FAILURE with <c>Error executing &lt;category&gt;: &lt;message&gt;</c>;
/// empty output is not sent. STATE_VM also runs at once on every domain lifecycle event of the
/// libvirt connection (a state change reaches monitord within a second, not at the next 5 s tick),
/// and once more shortly after, in case the event arrived while a run was in progress.
/// </summary>
public sealed class AgentRunner(
    IScheduler scheduler,
    TimeProvider time,
    ProbeContext context,
    MessageComposer composer,
    IMonitordLink link,
    TextWriter log)
{
    /// <summary>Runs until cancelled. <paramref name="firstDue"/> gives categories whose first tick waits (those just run at start-up).</summary>
    public async Task RunAsync(
        IReadOnlyList<ICategory> categories,
        ProbePeriods periods,
        Func<ICategory, TimeSpan> firstDue,
        TimeSpan? timeout,
        CancellationToken cancellationToken,
        IObservable<System.Reactive.Unit>? systemHostTrigger = null)
    {
        var byName = new Dictionary<string, ICategory>(StringComparer.Ordinal);
        var outboxes = new Dictionary<string, CategoryOutbox>(StringComparer.Ordinal);
        var sources = new List<ProbeSource>();
        foreach (var category in categories)
        {
            if (periods.For(category) is not { } period) continue;
            byName[category.Name] = category;
            outboxes[category.Name] = new CategoryOutbox(category.Name, link, time, log);
            sources.Add(CategorySources.For(category, context, period, timeout) with
            {
                FirstDue = firstDue(category),
                Trigger = category.MessageType switch
                {
                    "SYSTEM_HOST" => systemHostTrigger,
                    "STATE_VM" => LifecycleTrigger(context.Libvirt.Events, scheduler),
                    _ => null,
                },
            });
        }

        var sending = outboxes.Values.Select(o => o.RunAsync(cancellationToken)).ToList();
        using var subscription = new ProbePipeline(scheduler, time).Run(sources)
            .Subscribe(snapshot => outboxes[snapshot.Source].Post(Messages(byName[snapshot.Source], snapshot)));
        try
        {
            await Task.WhenAll(sending);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Lifecycle events (not metadata, device or tunable changes) as STATE_VM triggers: one at once, one <see cref="EventRetry"/> later.</summary>
    public static IObservable<System.Reactive.Unit> LifecycleTrigger(IObservable<OneKvm.Libvirt.DomainEvent> events, IScheduler scheduler)
    {
        var lifecycle = events.Where(e => OneKvm.Libvirt.DomainEventKinds.IsLifecycle(e.Kind)).Select(_ => System.Reactive.Unit.Default);
        return lifecycle.Merge(lifecycle.Throttle(EventRetry, scheduler));
    }

    /// <summary>Delay of the second STATE_VM run after a burst of events.</summary>
    public static TimeSpan EventRetry { get; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The messages for one snapshot (empty when the category printed nothing).</summary>
    public IReadOnlyList<OutgoingMessage> Messages(ICategory category, ProbeSnapshot snapshot)
    {
        var epoch = snapshot.Time.ToUnixTimeSeconds();
        if (!snapshot.Success)
            return composer.Compose(category.MessageType, false, epoch, FailureText(category, snapshot.Error!));
        string text;
        try
        {
            text = CategorySources.Render(category, snapshot.Sample!, context);
            if (category is ISampledCategory sampled && sampled.MissingIn(snapshot.Sample!) is { Count: > 0 } missing)
                context.Warn($"{category.Name}: incomplete: {string.Join("; ", missing)}");
        }
        catch (Exception e) when (e is ProbeException or FormatException or ArgumentException)
        {
            return composer.Compose(category.MessageType, false, epoch, FailureText(category, e.Message));
        }
        return string.IsNullOrWhiteSpace(text) ? [] : composer.Compose(category.MessageType, true, epoch, text);
    }

    /// <summary>Upstream's failure text: <c>Error executing &lt;probe&gt;: &lt;stderr&gt;</c>.</summary>
    public static string FailureText(ICategory category, string error) => $"Error executing {category.Name}: {error}";
}
