using OneKvm.Driver;
using OneKvm.Probes;

AppDomain.CurrentDomain.UnhandledException += (_, e) => LastResort.Exit("onekvm-driver", e.ExceptionObject, Console.Error);
try
{
    return await DriverEntry.RunAsync(args, Console.In, Console.Out, Console.Error, Environment.GetEnvironmentVariable);
}
catch (Exception e)
{
    // Anything the action did not expect: one line, exit 70 (see onekvm-driver --help).
    LastResort.Report("onekvm-driver", e, Console.Error);
    return LastResort.ExitCode;
}
