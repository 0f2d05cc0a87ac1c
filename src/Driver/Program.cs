using OneKvm.Driver;

return await DriverEntry.RunAsync(args, Console.In, Console.Out, Console.Error, Environment.GetEnvironmentVariable);
