using OneKvm.Driver;

AppDomain.CurrentDomain.UnhandledException += (_, e) =>
{
    // Last resort (an exception on a background thread): one line, non-zero exit, no stack trace.
    Console.Error.WriteLine($"onekvm-driver: internal error: {(e.ExceptionObject as Exception)?.Message ?? e.ExceptionObject.ToString()}");
    Environment.Exit(1);
};
return await DriverEntry.RunAsync(args, Console.In, Console.Out, Console.Error, Environment.GetEnvironmentVariable);
