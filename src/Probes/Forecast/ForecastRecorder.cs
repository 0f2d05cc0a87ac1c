namespace OneKvm.Probes.Forecast;

/// <summary>
/// The process's forecasting state: each entity's history (the host, every VM by id), fed with
/// every sample the categories take, persisted under the state directory at most every
/// <see cref="PersistInterval"/> (and at once the first time an entity is seen by a process, so a
/// short-lived <c>--once</c> keeps its sample), and the forecast keys computed from it in process
/// (microseconds per entity, no Python). A state directory that cannot be written is reported once
/// through <c>warn</c>; the forecasts go on from memory.
/// </summary>
public sealed class ForecastRecorder(ForecastHistoryStore store, ForecastSettings settings, Action<string>? warn = null)
{
    private readonly Dictionary<string, (MetricHistory History, DateTimeOffset Persisted)> _entities = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private bool _warned;

    /// <summary>How often an entity's history is written to disk.</summary>
    public TimeSpan PersistInterval { get; init; } = TimeSpan.FromMinutes(5);

    public ForecastSettings Settings => settings;

    /// <summary>Records the host's sample and returns MONITOR_HOST's forecast keys.</summary>
    public IReadOnlyList<(string Key, string Value)> ObserveHost(IReadOnlyDictionary<string, double> values, DateTimeOffset now) =>
        Observe(ForecastHistoryStore.HostEntity, ForecastMetric.Host, settings.Host, values, now);

    /// <summary>Records a VM's sample and returns the forecast keys of its MONITOR_VM payload.</summary>
    public IReadOnlyList<(string Key, string Value)> ObserveVm(int vmId, IReadOnlyDictionary<string, double> values, DateTimeOffset now) =>
        Observe(ForecastHistoryStore.VmEntity(vmId), ForecastMetric.VirtualMachine, settings.VirtualMachine, values, now);

    /// <summary>Forgets the VMs not in <paramref name="present"/> (their files are removed).</summary>
    public void Retain(IReadOnlySet<int> present)
    {
        lock (_gate)
        {
            foreach (var entity in _entities.Keys.Where(e => e.StartsWith("vm-", StringComparison.Ordinal)).ToList())
            {
                if (int.TryParse(entity.AsSpan(3), System.Globalization.CultureInfo.InvariantCulture, out var id) && present.Contains(id)) continue;
                _entities.Remove(entity);
                store.Forget(entity);
            }
        }
    }

    private IReadOnlyList<(string Key, string Value)> Observe(
        string entity, IReadOnlyList<ForecastMetric> metrics, EntityForecastSettings entitySettings, IReadOnlyDictionary<string, double> values, DateTimeOffset now)
    {
        lock (_gate)
        {
            var known = _entities.TryGetValue(entity, out var state);
            var history = known ? state.History : store.Load(entity);
            foreach (var (name, value) in values) history.Add(name, now, value);
            history.Prune(now, entitySettings.Retention);
            var persisted = known ? state.Persisted : DateTimeOffset.MinValue;
            if (now - persisted >= PersistInterval)
            {
                try
                {
                    store.Save(entity, history);
                    persisted = now;
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    if (!_warned) warn?.Invoke($"forecast history not kept: {store.Directory}: {e.Message}");
                    _warned = true;
                    persisted = now;
                }
            }
            _entities[entity] = (history, persisted);
            return EntityForecast.Compute(history, metrics, entitySettings, now);
        }
    }
}
