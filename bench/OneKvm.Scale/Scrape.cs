using System.Diagnostics;

namespace OneKvm.Scale;

/// <summary>Scrape latency of a <c>/metrics</c> endpoint: a fixed count of sequential GETs, then the same count spread over concurrent clients.</summary>
public static class Scrape
{
    public sealed record Result(int Count, int Concurrency, double SequentialP50Ms, double SequentialP99Ms, double ConcurrentP50Ms, double ConcurrentP99Ms, long BodyBytes);

    public static async Task<Result> RunAsync(Uri url, int count, int concurrency)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(120) };
        var body = await http.GetByteArrayAsync(url); // warm-up: connection, first exposition of this set
        var sequential = new List<double>(count);
        for (var i = 0; i < count; i++) sequential.Add(await OneAsync(http, url));
        var concurrent = new List<double>(count);
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async c =>
        {
            using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(120) };
            for (var i = c; i < count; i += concurrency)
            {
                var ms = await OneAsync(client, url);
                lock (concurrent) concurrent.Add(ms);
            }
        }));
        return new Result(count, concurrency, Percentile(sequential, 0.5), Percentile(sequential, 0.99),
            Percentile(concurrent, 0.5), Percentile(concurrent, 0.99), body.LongLength);
    }

    private static async Task<double> OneAsync(HttpClient http, Uri url)
    {
        var watch = Stopwatch.StartNew();
        using var response = await http.GetAsync(url, HttpCompletionOption.ResponseContentRead);
        response.EnsureSuccessStatusCode();
        _ = await response.Content.ReadAsByteArrayAsync();
        return watch.Elapsed.TotalMilliseconds;
    }

    /// <summary>Nearest-rank percentile.</summary>
    public static double Percentile(IReadOnlyCollection<double> values, double p)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0) return double.NaN;
        var rank = (int)Math.Ceiling(p * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }
}
