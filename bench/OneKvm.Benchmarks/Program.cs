using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/OneKvm.Benchmarks -- --filter '*' [--job short]
BenchmarkSwitcher.FromAssembly(typeof(OneKvm.Benchmarks.HostFixture).Assembly).Run(args);
